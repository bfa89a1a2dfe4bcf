//go:build unix

package testpeer

import (
	"os/exec"
	"syscall"
)

// setProcessGroup puts the child in a new process group whose id is its pid,
// so the cleanup can signal node and anything it spawned at once.
func setProcessGroup(cmd *exec.Cmd) {
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
}

func terminateGroup(_ *exec.Cmd, pid int) error { return syscall.Kill(-pid, syscall.SIGTERM) }

func killGroup(_ *exec.Cmd, pid int) error { return syscall.Kill(-pid, syscall.SIGKILL) }
