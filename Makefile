# xpt: the one entry point.  Every target installs what it needs first.
#   make demo    the main job on defaults
#   make test    everything CI runs
#   make unit | prove | qemu | fuzz | bench

CC      ?= gcc
BUILD   ?= build
WARN    := -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes -Wmissing-prototypes
CSTD    := -std=c11
REF_INC := -Iref/include
REF_SRC := $(wildcard ref/src/*.c)
REF_HDR := $(wildcard ref/include/*.h) $(wildcard ref/src/*.h)
SAN     := -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer

# Fragments add their targets to these lists.
TEST_STEPS :=
DEPS       := build

.PHONY: all deps lib unit freestanding demo test clean
all: lib

deps:
	@bash ci/deps.sh $(DEPS)

# ---------------------------------------------------------------- ref core
$(BUILD)/host/%.o: ref/src/%.c $(REF_HDR) | $(BUILD)/host
	$(CC) $(CSTD) $(WARN) -O2 -g $(REF_INC) -c $< -o $@
$(BUILD)/host $(BUILD)/san $(BUILD)/free-gcc $(BUILD)/free-clang:
	@mkdir -p $@
$(BUILD)/libxpt.a: $(patsubst ref/src/%.c,$(BUILD)/host/%.o,$(REF_SRC))
	ar rcs $@ $^
lib: $(BUILD)/libxpt.a

# ------------------------------------------------------------- install
VERSION := $(shell sed -n 's/^\#define XPT_VERSION_[A-Z]* *\([0-9]*\)$$/\1/p' ref/include/xpt.h | paste -sd.)
PREFIX  ?= /usr/local
install: $(BUILD)/libxpt.a
	install -d $(DESTDIR)$(PREFIX)/include $(DESTDIR)$(PREFIX)/lib/pkgconfig
	install -m 644 $(wildcard ref/include/*.h) $(DESTDIR)$(PREFIX)/include/
	install -m 644 $(BUILD)/libxpt.a $(DESTDIR)$(PREFIX)/lib/libxpt.a
	sed -e 's|@PREFIX@|$(PREFIX)|' -e 's|@VERSION@|$(VERSION)|' ref/xpt.pc.in \
	  > $(DESTDIR)$(PREFIX)/lib/pkgconfig/xpt.pc
	@echo "installed xpt $(VERSION) under $(DESTDIR)$(PREFIX)"
install-test:
	@bash ci/install-test.sh
TEST_STEPS += install-test
.PHONY: install install-test

# The core must build freestanding for the kernel, with both compilers.
FREE_FLAGS := $(CSTD) $(WARN) -O2 -ffreestanding -nostdlib -fno-builtin -mno-red-zone \
              -mcmodel=kernel -mno-sse -mno-mmx -mno-sse2 -fno-pic $(REF_INC)
freestanding: | $(BUILD)/free-gcc $(BUILD)/free-clang
	@for f in $(REF_SRC); do \
	  gcc   $(FREE_FLAGS) -c $$f -o $(BUILD)/free-gcc/$$(basename $$f .c).o || exit 1; \
	  clang $(FREE_FLAGS) -c $$f -o $(BUILD)/free-clang/$$(basename $$f .c).o || exit 1; \
	done
	@extern=$$(nm -u $(BUILD)/free-gcc/*.o $(BUILD)/free-clang/*.o | awk '$$1=="U"{print $$2}' \
	  | grep -v '^xpt_' | grep -vx 'memset\|memcpy' | sort -u); \
	  if [ -n "$$extern" ]; then echo "freestanding: ref/src needs symbols beyond memset/memcpy: $$extern"; exit 1; fi
	@echo "freestanding: ref/src builds with gcc and clang (-ffreestanding -nostdlib -Wall -Wextra -Werror)"
TEST_STEPS += freestanding

# ------------------------------------------------------------ unit tests
UNIT_SRC := $(wildcard tests/*.c)
$(BUILD)/unit: $(UNIT_SRC) $(REF_SRC) $(REF_HDR) $(wildcard tests/*.h) | $(BUILD)/san
	$(CC) $(CSTD) -D_DEFAULT_SOURCE $(WARN) -Wno-missing-prototypes -O1 -g $(SAN) $(REF_INC) -Itests \
	  $(UNIT_SRC) $(REF_SRC) -o $@
unit: deps $(BUILD)/unit
	$(BUILD)/unit
TEST_STEPS += unit

# ------------------------------------------------------------------ demo
$(BUILD)/demo-host: tools/demo_host.c $(REF_SRC) $(REF_HDR)
	@mkdir -p $(BUILD)
	$(CC) $(CSTD) -D_DEFAULT_SOURCE $(WARN) -Wno-missing-prototypes -O2 $(REF_INC) $< $(REF_SRC) -o $@
demo-host: deps $(BUILD)/demo-host
	$(BUILD)/demo-host
TEST_STEPS += demo-host

-include proofs/proofs.mk
-include kernel/kernel.mk
-include fuzz/fuzz.mk
-include bench/bench.mk
-include tools/tools.mk

DEMO ?= demo-host
demo: $(DEMO)

test: deps
	@bash ci/steps.sh $(TEST_STEPS)

clean:
	rm -rf $(BUILD)
