//go:build !unix

package testpeer

import "os/exec"

// Without process groups only the node process itself can be stopped.
func setProcessGroup(*exec.Cmd) {}

func terminateGroup(cmd *exec.Cmd, _ int) error { return cmd.Process.Kill() }

func killGroup(cmd *exec.Cmd, _ int) error { return cmd.Process.Kill() }
