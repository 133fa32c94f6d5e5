/*
 * No code: the WP run of this file (the first line of proofs/scope) has
 * as its goals the lemmas every file sees, those of proofs/lemmas.h and
 * of the headers (spec/paging.h's PgFrame block among them, and
 * store.h's StoreRun, included here).  Every other run takes them as
 * proved (proofs/prove.sh).
 */
#include "../ref/src/store.h"
