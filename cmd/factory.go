package cmd

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"net/url"
	"os"
	"time"

	"github.com/mcpwalk/mcpwalk/flow"
	"github.com/mcpwalk/mcpwalk/internal/browser"
	"github.com/mcpwalk/mcpwalk/internal/loopback"
	"github.com/mcpwalk/mcpwalk/internal/record"
)

// IOStreams are the process's streams; tests use buffers.
type IOStreams struct {
	In     io.Reader
	Out    io.Writer
	ErrOut io.Writer
}

// SystemIO returns the real streams.
func SystemIO() IOStreams { return IOStreams{In: os.Stdin, Out: os.Stdout, ErrOut: os.Stderr} }

// TestIO returns buffered streams for tests.
func TestIO() (IOStreams, *bytes.Buffer, *bytes.Buffer) {
	out, errOut := &bytes.Buffer{}, &bytes.Buffer{}
	return IOStreams{In: &bytes.Buffer{}, Out: out, ErrOut: errOut}, out, errOut
}

// Factory carries what commands need from the outside world.
type Factory struct {
	IO IOStreams
	// Browser opens URLs; nil means the system browser.
	Browser flow.Browser
	// Listen starts the loopback receiver; nil means internal/loopback.
	Listen flow.Listen
}

// NewFactory returns a factory wired to the real world.
func NewFactory(io IOStreams) *Factory { return &Factory{IO: io} }

func (f *Factory) browser(noBrowser bool) flow.Browser {
	switch {
	case noBrowser:
		return browser.Printer{W: f.IO.ErrOut}
	case f.Browser != nil:
		return f.Browser
	}
	return browser.System{Stderr: f.IO.ErrOut}
}

func (f *Factory) listen() flow.Listen {
	if f.Listen != nil {
		return f.Listen
	}
	return func(ctx context.Context, at flow.CallbackAddr) (flow.Receiver, error) {
		r, err := loopback.Start(ctx, loopback.Options{Host: at.Host, Port: at.Port, Path: at.Path})
		if err != nil {
			return nil, err
		}
		return receiver{r}, nil
	}
}

// receiver adapts loopback.Receiver to flow.Receiver.
type receiver struct{ *loopback.Receiver }

func (r receiver) Wait(ctx context.Context) (url.Values, error) {
	cb, err := r.Receiver.Wait(ctx)
	if err != nil {
		return nil, err
	}
	return cb.Query, nil
}

// newHTTP returns the redactor, recorder and bounded recording client
// shared by every step of one walk.
func newHTTP(timeout time.Duration, reveal bool) (*record.Redactor, *record.Recorder, *http.Client) {
	red := record.NewRedactor(reveal)
	rec := record.NewRecorder(record.NewTransport(), red)
	return red, rec, record.NewClient(rec, record.ClientOptions{Timeout: timeout})
}
