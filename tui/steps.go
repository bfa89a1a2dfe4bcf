package tui

import (
	"fmt"
	"strings"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/mcpwalk/mcpwalk/flow"
)

// row is one line of the step list: a planned step, or an MCP call the
// user made from the explorer. A step run more than once keeps every
// attempt; the list shows the latest.
type row struct {
	id      string
	label   string
	call    *flow.Call
	planned bool
	results []flow.StepResult
	notes   []string
	running bool
	started time.Time
}

// status is pending, running, or the latest result's status.
func (r row) status() string {
	switch {
	case r.running:
		return "running"
	case len(r.results) == 0:
		return "pending"
	}
	return string(r.last().Status)
}

func (r row) last() flow.StepResult {
	if len(r.results) == 0 {
		return flow.StepResult{}
	}
	return r.results[len(r.results)-1]
}

// plannedRows are the steps of a walk: the authorization steps, connect,
// then the listing calls that fill the explorer.
func plannedRows(calls []flow.Call) []row {
	var rows []row
	for _, id := range flow.AuthSteps {
		rows = append(rows, row{id: id, label: id, planned: true})
	}
	rows = append(rows, row{id: flow.StepConnect, label: flow.StepConnect, planned: true})
	for i := range calls {
		c := calls[i]
		rows = append(rows, row{id: c.ID(), label: callLabel(c), call: &c, planned: true})
	}
	return rows
}

// callLabel names a call in the step list: the method and its operand.
func callLabel(c flow.Call) string {
	switch {
	case c.Name != "":
		return c.Method + " " + c.Name
	case c.URI != "":
		return c.Method + " " + c.URI
	}
	return c.Method
}

// stepList is the left pane: the rows and a cursor.
type stepList struct {
	rows   []row
	cursor int
	offset int
	follow bool // the cursor follows the running step until the user moves it
}

func (l stepList) update(msg tea.KeyMsg) stepList {
	switch msg.String() {
	case "up", "k":
		l.cursor--
	case "down", "j":
		l.cursor++
	case "home", "g":
		l.cursor = 0
	case "end", "G":
		l.cursor = len(l.rows) - 1
	default:
		return l
	}
	l.cursor = clamp(l.cursor, 0, len(l.rows)-1)
	l.follow = false
	return l
}

// next is the first planned row that has not run, or -1.
func (l stepList) next() int {
	for i, r := range l.rows {
		if r.planned && len(r.results) == 0 && !r.running {
			return i
		}
	}
	return -1
}

// find returns the row a step event belongs to: the row being run when
// its id matches, else the last row with that id (a re-authorization
// during a call lands on the authorize and token rows), else -1.
func (l stepList) find(id string, active int) int {
	if active >= 0 && active < len(l.rows) && l.rows[active].id == id {
		return active
	}
	for i := len(l.rows) - 1; i >= 0; i-- {
		if l.rows[i].id == id {
			return i
		}
	}
	return -1
}

func (l stepList) view(width, height int, spin string, now time.Time) []string {
	if height <= 0 {
		return nil
	}
	if l.cursor < l.offset {
		l.offset = l.cursor
	}
	if l.cursor >= l.offset+height {
		l.offset = l.cursor - height + 1
	}
	var lines []string
	for i := l.offset; i < len(l.rows) && len(lines) < height; i++ {
		lines = append(lines, l.line(i, width, spin, now))
	}
	return lines
}

func (l stepList) line(i, width int, spin string, now time.Time) string {
	r := l.rows[i]
	cur := "  "
	if i == l.cursor {
		cur = styleSelected.Render("▸ ")
	}
	mark := stepMark(flow.Status(r.status()))
	dur := ""
	switch {
	case r.running:
		mark = statusStyle("running").Render(spin)
		dur = formatMS(now.Sub(r.started).Milliseconds())
	case len(r.results) > 0:
		dur = formatMS(r.last().DurationMS)
		if n := len(r.results); n > 1 {
			dur = fmt.Sprintf("×%d %s", n, dur)
		}
	}
	label := r.label
	if i == l.cursor {
		label = styleSelected.Render(label)
	}
	left := cur + mark + " " + label
	return padBetween(left, styleMuted.Render(dur), width)
}

func formatMS(ms int64) string {
	if ms < 1000 {
		return fmt.Sprintf("%dms", ms)
	}
	return fmt.Sprintf("%.1fs", float64(ms)/1000)
}

// padBetween puts left and right on one line of exactly width cells,
// truncating left when they do not fit.
func padBetween(left, right string, width int) string {
	rw := cellWidth(right)
	lw := width - rw - 1
	if rw == 0 {
		lw = width
	}
	left = truncate(left, lw)
	gap := width - cellWidth(left) - rw
	if gap < 0 {
		return truncate(left+right, width)
	}
	return left + strings.Repeat(" ", gap) + right
}

func clamp(v, lo, hi int) int {
	if v > hi {
		v = hi
	}
	if v < lo {
		v = lo
	}
	return v
}
