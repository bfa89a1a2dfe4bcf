//go:build !unix

package store

import (
	"context"
	"os"
)

// lockFile on systems without flock relies on the in-process mutex only:
// concurrent mcpwalk processes there are not serialised (said in README).
func lockFile(context.Context, *os.File) error { return nil }

func unlockFile(*os.File) error { return nil }
