package findings

// connectFindings: the MCP session through the official Go SDK (step connect).
var connectFindings = []Finding{
	{
		ID:       "connect.session",
		Title:    "MCP session established",
		Severity: Pass,
		Rules:    []string{"MCP Lifecycle §Initialization"},
		Why:      "initialize succeeded with the token; the negotiated protocol revision and capabilities are in the step's data.",
	},
}

// callsFindings: authenticated MCP requests (steps calls:<method>).
var callsFindings = []Finding{
	{
		ID:       "calls.tool-error",
		Title:    "A tool returned isError: true",
		Severity: Warning,
		Rules:    []string{"MCP 2025-11-25 Tools §Error Handling (tool errors are reported in the result, not as protocol errors)"},
		Why: "The call itself worked (authorization included); the tool reported a failure of its own, which the result's " +
			"content explains.",
		Breaks: "Nothing in the protocol. An authorization problem reported this way (a tool that catches a 401 from an " +
			"upstream API and returns it as text) hides from clients that it is one.",
		Fix: "Read the result content. If the tool failed because of upstream credentials, that is the server's own " +
			"configuration, not the MCP token (the MCP server must not pass the client's token upstream).",
	},
}
