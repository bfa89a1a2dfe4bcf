// Command mcpwalk walks an MCP server's authorization flow step by step.
package main

import (
	"os"

	"github.com/mcpwalk/mcpwalk/cmd"
)

func main() { os.Exit(cmd.Main()) }
