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
