package check

type Status string

const (
	Pass Status = "pass"
	Warn Status = "warn"
	Fail Status = "fail"
)

type Check struct {
	ID     string
	Status Status
}

func New(id string, st Status, spec, fix, format string, args ...any) Check {
	return Check{ID: "ignored.inside-check"}
}

type List []Check

func (l *List) Addf(id string, st Status, spec, fix, format string, args ...any) {}
