# User tools built against the core.
$(BUILD)/ptdump: tools/ptdump.c $(REF_SRC) $(REF_HDR)
	@mkdir -p $(BUILD)
	$(CC) $(CSTD) -D_DEFAULT_SOURCE $(WARN) -Wno-missing-prototypes -O2 $(REF_INC) $< $(REF_SRC) -o $@
ptdump: $(BUILD)/ptdump
.PHONY: ptdump

# The minimal embedding of EMBEDDING.md, built and run by make test.
$(BUILD)/embed-minimal: tools/embed_minimal.c $(REF_SRC) $(REF_HDR)
	@mkdir -p $(BUILD)
	$(CC) $(CSTD) $(WARN) -Wno-missing-prototypes -O2 $(REF_INC) $< $(REF_SRC) -o $@
embed-test: $(BUILD)/embed-minimal
	$(BUILD)/embed-minimal
TEST_STEPS += embed-test
.PHONY: embed-test

# The picture of the demo's tables in the README: make docs-svg
docs-svg: $(BUILD)/demo-host $(BUILD)/ptdump
	$(BUILD)/demo-host --image $(BUILD)/demo.img | tail -1
	$(BUILD)/ptdump --maxphyaddr 40 --svg docs/demo-tables.svg $(BUILD)/demo.img \
	  $$($(BUILD)/demo-host --image $(BUILD)/demo.img | sed -n '/^image of/s/.*(CR3 \([0-9a-fx]*\)).*/\1/p')
.PHONY: docs-svg

# API reference: make docs -> build/docs/html/index.html
docs:
	@bash ci/deps.sh docs
	doxygen docs/Doxyfile
	@echo "API reference: $(BUILD)/docs/html/index.html"
.PHONY: docs
