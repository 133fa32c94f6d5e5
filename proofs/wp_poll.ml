(* Frama-C's task loop (Task.on_idle) sleeps 50 ms between two rounds of
   its scheduler, and a goal takes a few rounds: one to simplify, one to
   start a prover, one to read its answer.  With thousands of goals, one
   prover at a time, that sleep left a core idle a quarter of the time
   (make prove-quick's tlb.c line: 155 s, 110 s with this module).  This
   module, loaded with -load-module, polls every 2 ms instead.  It changes
   when WP looks at its provers, not what they are asked or how long they
   may take. *)
let () =
  Task.on_idle :=
    fun ready -> try while ready () do Unix.sleepf 0.002 done with Db.Cancel -> ()
