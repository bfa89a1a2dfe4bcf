package flow

import (
	"example.com/scanmod/discovery"
	chk "example.com/scanmod/internal/check"
)

const (
	StepProbe = "probe"
	StepCalls = "calls"
	literalID = "flow.const"
)

func run(id string) {}

func steps() {
	run("probes:" + "x")
}

func emit(l *chk.List, which int) {
	_ = chk.New("flow.literal", chk.Pass, "", "", "")
	_ = chk.New(literalID, chk.Fail, "", "", "")
	_ = chk.New(discovery.SSRF, chk.Warn, "", "", "")
	id, st := "flow.var-a", chk.Warn
	if which > 0 {
		id, st = "flow.var-b", chk.Fail
	}
	l.Addf(id, st, "", "", "")
	helper(l, "flow.param-a")
	helper(l, "flow.param-b")
	_ = chk.Check{ID: "flow.composite", Status: chk.Pass}
	var dyn string = pick(which)
	_ = chk.New(dyn, chk.Pass, "", "", "")
}

func helper(l *chk.List, id string) { l.Addf(id, chk.Warn, "", "", "") }

func pick(n int) string { return "" }
