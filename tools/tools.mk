# User tools built against the core.
$(BUILD)/ptdump: tools/ptdump.c $(REF_SRC) $(REF_HDR)
	@mkdir -p $(BUILD)
	$(CC) $(CSTD) -D_DEFAULT_SOURCE $(WARN) -Wno-missing-prototypes -O2 $(REF_INC) $< $(REF_SRC) -o $@
ptdump: $(BUILD)/ptdump
.PHONY: ptdump
