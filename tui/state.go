package tui

// state is where the walk stands. It decides which keys do something and
// what the header says.
type state int

const (
	// stateReady: paused before the next step, waiting for the user.
	stateReady state = iota
	// stateRunning: a step or an MCP call is in flight.
	stateRunning
	// stateStopped: the last step failed; the user may edit and re-run.
	stateStopped
	// stateConnected: every planned step ran; the explorer is open for use.
	stateConnected
	// stateQuitting: q was pressed while a step ran; waiting for it to stop.
	stateQuitting
)

func (s state) String() string {
	switch s {
	case stateReady:
		return "ready"
	case stateRunning:
		return "running"
	case stateStopped:
		return "stopped"
	case stateConnected:
		return "connected"
	case stateQuitting:
		return "quitting"
	}
	return "unknown"
}

// overlay is the input that currently owns the keyboard, if any.
type overlay int

const (
	overlayNone   overlay = iota
	overlayEdit           // the "before this step" configuration form
	overlayPaste          // pasting the redirect URL from another machine
	overlayCall           // the explorer's argument form
	overlayFilter         // typing an explorer filter
)

func (o overlay) String() string {
	return [...]string{"none", "edit", "paste", "call", "filter"}[o]
}

// screen is the main area's content.
type screen int

const (
	screenWalk screen = iota
	screenExplore
)

func (s screen) String() string {
	if s == screenExplore {
		return "explore"
	}
	return "walk"
}
