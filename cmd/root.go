// Package cmd holds mcpwalk's cobra commands: thin layers that parse flags,
// wire the engine to its views and turn errors into exit codes.
package cmd

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/signal"
	"syscall"

	"github.com/spf13/cobra"
)

// Version is set at build time (-ldflags "-X ...cmd.Version=...").
var Version = "dev"

// Exit codes: one place decides them.
const (
	ExitOK       = 0
	ExitFailed   = 1 // the walk stopped, or an error finding was raised
	ExitUsage    = 2
	ExitAuth     = 4 // --stored-auth-only and no usable stored token
	ExitCanceled = 130
)

// errUsage marks a usage error (bad flags or arguments).
type errUsage struct{ err error }

func (e errUsage) Error() string { return e.err.Error() }
func (e errUsage) Unwrap() error { return e.err }

func usagef(format string, args ...any) error { return errUsage{fmt.Errorf(format, args...)} }

// errSilent is a failure already reported (transcript and summary printed).
var errSilent = errors.New("failed")

// errLoginNeeded is errSilent for a walk that needed a login it was told
// not to start (--stored-auth-only).
var errLoginNeeded = fmt.Errorf("%w: login needed", errSilent)

// Main runs mcpwalk with os.Args and returns the process exit code.
func Main() int {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	f := NewFactory(SystemIO())
	root := NewRootCmd(f)
	root.SetArgs(os.Args[1:])
	err := root.ExecuteContext(ctx)
	return exitCode(ctx, f, err)
}

func exitCode(ctx context.Context, f *Factory, err error) int {
	if err == nil {
		return ExitOK
	}
	if ctx.Err() != nil || errors.Is(err, context.Canceled) {
		fmt.Fprintln(f.IO.ErrOut, "mcpwalk: canceled")
		return ExitCanceled
	}
	if errors.Is(err, errLoginNeeded) {
		return ExitAuth
	}
	if errors.Is(err, errSilent) {
		return ExitFailed
	}
	fmt.Fprintln(f.IO.ErrOut, "mcpwalk:", err)
	var u errUsage
	if errors.As(err, &u) {
		return ExitUsage
	}
	return ExitFailed
}

// NewRootCmd builds the command tree.
func NewRootCmd(f *Factory) *cobra.Command {
	root := &cobra.Command{
		Use:   "mcpwalk",
		Short: "Walk an MCP server's OAuth authorization flow step by step, then make real MCP calls",
		Long: `mcpwalk walks the MCP authorization sequence — 401 challenge, Protected Resource
Metadata, authorization server metadata, client registration, PKCE with the
resource parameter, the iss check, the token exchange — shows every request,
response and check, and then makes authenticated MCP calls.`,
		SilenceUsage:  true,
		SilenceErrors: true,
		Version:       Version,
	}
	root.SetOut(f.IO.Out)
	root.SetErr(f.IO.ErrOut)
	root.SetFlagErrorFunc(func(_ *cobra.Command, err error) error { return errUsage{err} })
	root.AddCommand(NewCmdCheck(f, nil), NewCmdCall(f, nil), NewCmdDemo(f, nil))
	root.AddCommand(NewCmdExplain(f, nil), NewCmdToken(f), NewCmdLogout(f), NewCmdConformanceClient(f))
	addRootWalk(root, f, nil)
	return root
}
