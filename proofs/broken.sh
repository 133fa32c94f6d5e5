#!/usr/bin/env bash
# Each variant plants one bug in a scratch copy of a file of ref/src and
# runs WP on the properties of the function it breaks that must catch it
# (names, or a category such as @ensures for unnamed clauses): their proof
# must fail.  The unbroken file must prove the same properties (make prove
# proves the whole function).  Exits non-zero otherwise.
set -uo pipefail
cd "$(dirname "$0")/.."
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
fails=0
mkdir -p build
source proofs/wp-poll.sh

# name | file | function | properties | sed expression applied to the file
# (file "format.h:map.c": the edit goes to the header, proved with the
# file that includes it)
variants=(
	"SMEP ignored on supervisor fetches|walk.c|rights_deny|@ensures|s/return (upage \&\& (ctl->flags \& XPT_CTL_SMEP)) || nx;/return nx;/"
	"R/W ORed across levels|walk.c|combine_rights|@ensures|s/if (!(e \& XPT_PTE_RW))/if (0)/"
	"implicit access keeps U in the error code|walk.c|access_error_code|@ensures|s/ec \&= ~XPT_PF_U;/ec \&= ~0u;/"
	"protection keys checked on fetches|walk.c|pkey_denies|@ensures|/if (access \& XPT_ACC_FETCH)/{n;s/return false;/return ad;/}"
	"a new table not zeroed|map.c|table_zero|zero_below|s/sp->mem.words\[xpt_slot(t, i)\] = 0;/continue;/"
	"a new table's last entry not zeroed|map.c|table_zero|zeroed|s/for (unsigned i = 0; i < XPT_ENTRIES; i++)\$/for (unsigned i = 0; i + 1 < XPT_ENTRIES; i++)/"
	"a new table hung without zeroing it|map.c|link_table|zeroed,empty|s/^\txpt_store_zero(sp->fa, sp->mem.words, xpt_slot(t, 0), XPT_ENTRIES);\$/\t(void)0;/"
	"unmap leaves the leaf in place|map.c|change_leaf|cleared|s/? protected_leaf(c, op, level, e) : 0;/? protected_leaf(c, op, level, e) : e;/"
	"a leaf stored into the next entry|map.c|replace_leaf|slot_is|s/write_entry(c, level, va, repl);/write_entry(c, level, va + xpt_level_bytes(level), repl);/"
	"a changed leaf left out of the flush record|map.c|replace_leaf|flushed|s/^\t\trecord(c, va, e);\$/\t\t(void)0;/"
	"the cursor kept in a table that does not hold the next address|map.c|advance|shared|s/if (to != 0 \&\& same_above(from, to, level))/if (to != 0)/"
	"an unmap pass that stops a page short|map.c|pass|gone|s/while (left > 0) {/while (left > 4096) {/"
	"an unmap whose second pass does not commit|map.c|run|gone|s/^\tc.commit = true;\$/\t(void)0;/"
	"a commit pass that fills no flush record|map.c|run|flushed|s/^\tc.commit = true;\$/\tc.commit = true;\n\tc.fl = NULL;/"
	"a single-page unmap that asks for twice its page|map.c|xpt_unmap|failed|s/err = xpt_unmap_range(sp, va, len, opts, fl);/err = xpt_unmap_range(sp, va, 2 * len, opts, fl);/"
	"a space whose allocator reaches MAXPHYADDR|map.c|xpt_space_init_levels|inval|s/ || fa->nframes > below)/)/"
	"a single-page unmap that removes only the first 4 KiB of a huge page|map.c|xpt_unmap|gone|s/err = xpt_unmap_range(sp, va, len, opts, fl);/err = xpt_unmap_range(sp, va, XPT_PAGE_SIZE, opts, fl);/"
	"an unmap that refuses a huge page ending the range exactly|map.c|change_step|huge|s/if (off == 0 \&\& left >= bytes) {/if (off == 0 \&\& left > bytes) {/"
	"a table entry with an address bit above MAXPHYADDR followed|map.c|enter_error|rsvd|s/if (table_rsvd(e, level, c->sp->maxphyaddr))/if (level >= 4u \&\& (e \& XPT_PTE_PS))/"
	"a run of free frames handed out one frame short|frames.c|take_free|taken|s/mark_used(fa, f, e - f);/mark_used(fa, f, e - f - 1);/"
	"a reserved region cut to its whole frames|frames.c|fill_region|span|s/uint64_t first = usable ? div_up(r->base, XPT_PAGE_SIZE) : r->base \/ XPT_PAGE_SIZE;/uint64_t first = div_up(r->base, XPT_PAGE_SIZE);/"
	"the last word of usable frames not made free at init|frames.c|seed_level0|level0|s/for (uint64_t i = 0; i < usable_words(fa->nframes); i++) {/for (uint64_t i = 0; i + 1 < usable_words(fa->nframes); i++) {/"
	"invlpg spares global entries|tlb.c|xpt_tlb_invlpg|dropped|/^void xpt_tlb_invlpg/,/^}/s/current_pcid(t), false, true);/current_pcid(t), false, false);/"
	"a full flush spares global entries|tlb.c|xpt_tlb_flush_all|empty|/^void xpt_tlb_flush_all/,/^}/s/drop(t, 0, true, 0, true, true);/drop(t, 0, true, 0, true, false);/"
	"a teardown that clears the entry after the one it names|teardown.c|clear_entry|cleared,others|s/xpt_store(sp->fa, \&sp->mem.words\[slot\], 0);/xpt_store(sp->fa, \&sp->mem.words[slot + 1u], 0);/"
	"a hold that wraps a full count to 0|vm.c|hold_refused,xpt_vm_frame_get|saturated|s/if (vm->refs\[f\] == UINT32_MAX)/if (0)/"
	"a release that frees a frame still held|vm.c|xpt_vm_frame_put|one_fewer|s/if (--vm->refs\[f\] == 0)/if (--vm->refs[f] <= 1)/"
	"a trampoline accepted in the lower half|vm.c|xpt_vm_set_trampoline|set|s/if (va < xpt_space_user_top(\&vm->kernel))/if (0)/"
	"a step down into a table outside the window|map.c|map_down|entered_below,down|/^static int map_down(/,/^}/s/^\tint err = enter_error(c, level, e);\$/\tint err = XPT_OK;/"
	"a store that spares the last word of a run|store.c|xpt_store_zero|zeroed|/^void xpt_store_zero(/,/^}/s/for (uint64_t k = first; k < end; k++)/for (uint64_t k = first; k + 1 < end; k++)/"
	"a run of leaves that all map its first page|store.c|xpt_store_leaves|at,next|/^void xpt_store_leaves(/,/^}/s/^\t\tframe += step;\$/\t\tframe += 0;/"
	"a leaf put over a present entry|map.c|level_verdict|here|/^static int level_verdict(/,/^}/s/^\t\tif (!here)\$/\t\tif (1)/"
	"a map step down through a huge page|map.c|level_verdict|down|/^static int level_verdict(/,/^}/s/^\tif (here \&\& level <= 3u \&\& xpt_is_leaf(e, level))\$/\tif (0)/"
	"a run of leaves longer than the range|map.c|run_room|@ensures|/^static unsigned run_room(/,/^}/s/if (n > left \/ bytes)/if (n > left \/ bytes + 1u)/"
	"a new table whose frame the allocator still holds free|map.c|new_table|free_now,taken|s/^\t\thang_empty(c, level, va, t);\$/\t\thang_empty(c, level, va, t);\n\t\t(void)xpt_frame_free(c->sp->fa, t);/"
	"a dump line that stops counting at the buffer's end|dump.c|put|len,counted|s/^\t\to->len++;\$/\t\tif (o->len + 1u < o->n) o->len++;/"
	"a guest fault reported as an EPT stop|ept.c|xpt_nested_walk|ept|s/^\t\tn->stage = 1;\$/\t\tn->stage = 2;/"
	"an applied record that skips its last page|flush.c|xpt_flush_apply|dropped,gone,agrees|/^void xpt_flush_apply(/,/^}/s/for (uint32_t i = 0; i < fl->npages; i++) {/for (uint32_t i = 0; i + 1 < fl->npages; i++) {/"
	"a map pass that leaves the cursor where a run ended|map.c|map_pass|above|s/^\t\tadvance(c, va, next, false);\$/\t\t(void)next;/"
	"a 4 KiB leaf whose PAT bit is an address bit|format.h:map.c|xpt_fmt_leaf|pat_bit,pat_4k,x86_frame|s/uint64_t pat = level == 1u ? XPT_PTE_PAT_4K : XPT_PTE_PAT_HUGE;/uint64_t pat = XPT_PTE_PAT_HUGE;/"
	"a 4 KiB leaf with address bit 51 set|format.h:map.c|xpt_fmt_leaf|x86_valid|s/return xpt_leaf_set_frame(e, pa);/return xpt_leaf_set_frame(e, pa) | (1ull << 51);/"
	"a map step whose run starts a page after va|map.c|map_step|leaf,mapped,others|s/unsigned n = fill_run(c, op, level, va, pa, left);/unsigned n = fill_run(c, op, level, va + bytes, pa, left);/"
	"a map step that reports a leaf fewer than it stored|map.c|map_step|others|s/^\treturn n \* bytes;\$/\treturn n > 1 ? (n - 1) * bytes : n * bytes;/"
	"a leaf without its frame above bit 12|format.h:map.c|xpt_leaf_set_frame|frame|s/return pa | (e \& 0xfff0000000001fffull);/return e \& 0xfff0000000001fffull;/"
	"a run of leaves a page and a byte apart|map.c|fill_run|pages|s/first, end, flags, pa, bytes);/first, end, flags, pa, bytes + 1u);/"
	"a run that stores one leaf fewer than it reports|map.c|fill_run|words,leaves|s/first, end, flags, pa, bytes);/first, end - 1u, flags, pa, bytes);/"
	"a map pass that hands each step the frame a page on|map.c|map_pass|step_run_mapped,mapped|s/uint64_t done = map_step(c, op, va, pa, left, \&err);/uint64_t done = map_step(c, op, va, pa + 4096u, left, \&err);/"
	"a run of 4 KiB leaves whose flags keep the first frame's bit 12|map.c|fill_run|flags|s/uint64_t flags = xpt_fmt_leaf(c->sp->format, 0, op->attr, level);/uint64_t flags = xpt_fmt_leaf(c->sp->format, pa, op->attr, level);/"
	"a per-PCID apply that spares global pages|flush.c|xpt_flush_apply_pcid|dropped_global|/^void xpt_flush_apply_pcid(/,/^}/s/fl->global ? XPT_INVPCID_ALL_GLOBAL : XPT_INVPCID_CONTEXT/XPT_INVPCID_CONTEXT/"
)

# As make prove proves: the provers, then the proof scripts of proofs/wp
# (a broken function fails make prove exactly when it fails here).  Each
# run has one prover at a time and BROKEN_JOBS (default 2) variants run at
# once: Frama-C's front end and WP's simplifier work on one goal at a time,
# so two runs keep two cores busier than one run of two provers.
prove() { # file function properties timeout -> "proved X / Y slowest S"
	local model=() # as prove.sh proves the lines of proofs/scope marked "cast"
	grep -q "^cast ref/src/$(basename "$1") .*\<$2\>" proofs/scope &&
		model=(-wp-model Typed+cast -rte-no-pointer-call)
	frama-c "${wp_poll[@]}" -cpp-extra-args="-Iref/include -include proofs/frama.h" "$1" \
		-wp -wp-rte "${model[@]}" -wp-prover script,cvc4,z3 -wp-session proofs/wp -wp-cache none \
		-wp-par 1 -wp-timeout "$4" -wp-fct "$2" -wp-prop "$3" 2>&1 | awk '
		/ Goal .* : Valid/ { # the prover time is the one not marked Qed:
			for (i = 1; i <= NF; i++)
				if ($i ~ /^\([0-9.]+m?s\)$/) {
					t = $i; gsub(/[()s]/, "", t)
					if (t ~ /m$/) { sub(/m$/, "", t); t /= 1000 }
					if (t + 0 > slow) slow = t + 0
				}
		}
		/^\[wp\] Proved goals:/ { proved = $4 " / " $6 }
		END { if (proved != "") printf "%s slowest %.1f\n", proved, slow }'
}

# A planted bug makes its clauses false, so no prover time proves them;
# the broken run gives each prover three times what the intact run's
# slowest goal took, at least 3 s and at most the intact run's 10 s: a
# clause the intact function proves well within that time and the broken
# one does not prove in it is caught.  A broken clause costs each prover its
# whole timeout, most of this check's time.
budget() { # slowest goal of the intact run, in seconds -> timeout
	awk -v s="$1" 'BEGIN { t = int(3 * s) + 1; print (t < 3 ? 3 : t > 10 ? 10 : t) }'
}

check() { # variant directory -> one line of verdict; non-zero when not caught
	local name file fct props expr good bad
	IFS='|' read -r name file fct props expr <<<"$1"
	local edit=${file%%:*} unit=${file##*:}
	mkdir -p "$2"
	cp ref/src/*.h "ref/src/$unit" "$2/"
	sed -i "$expr" "$2/$edit"
	if cmp -s "ref/src/$edit" "$2/$edit"; then
		echo "broken: '$name': the edit did not apply"; return 1
	fi
	local t0=$(date +%s) t1 t2 limit
	good=$(prove "ref/src/$unit" "$fct" "$props" 10)
	t1=$(date +%s)
	if [ -z "$good" ]; then
		echo "broken: '$name': WP did not run on the intact file"; return 1
	fi
	limit=$(budget "${good##* }")
	bad=$(prove "$2/$unit" "$fct" "$props" "$limit")
	t2=$(date +%s)
	if [ -z "$bad" ]; then
		echo "broken: '$name': WP did not run on the broken file"; return 1
	fi
	good=${good% slowest*} bad=${bad% slowest*}
	local verdict="($fct $props): intact $good ($((t1 - t0)) s), broken $bad at $limit s a goal ($((t2 - t1)) s)"
	if [ "${good##*/ }" -gt 0 ] && [ "${good%% /*}" = "${good##*/ }" ] && [ "${bad%% /*}" != "${bad##*/ }" ]; then
		echo "broken: '$name' $verdict: caught"
	else
		echo "broken: '$name' $verdict: NOT caught"; return 1
	fi
}

# Each variant in a directory of its own; the verdicts are printed in the
# order of the list once all have run.
jobs=${BROKEN_JOBS:-2}
for i in "${!variants[@]}"; do
	(check "${variants[$i]}" "$scratch/$i" >"$scratch/$i.out"; echo $? >"$scratch/$i.rc") &
	while [ "$(jobs -rp | wc -l)" -ge "$jobs" ]; do wait -n; done
done
wait
for i in "${!variants[@]}"; do
	cat "$scratch/$i.out"
	[ "$(cat "$scratch/$i.rc")" = 0 ] || fails=$((fails + 1))
done
echo "broken: $((${#variants[@]} - fails)) of ${#variants[@]} planted bugs fail their proof"
[ "$fails" -eq 0 ]
