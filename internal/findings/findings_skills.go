package findings

// skillHosts are the clients a skills problem concerns: hosts that load
// MCP-served skills, which must verify what they read.
const skillHosts = "hosts implementing the Skills extension (SEP-2640), mcpwalk included"

// verifyingHosts refuse content that fails verification; generic clients
// never load skills and see ordinary resources.
var verifyingHosts = Clients{
	Refuse:   []string{skillHosts},
	Tolerate: []string{"clients without the extension (skill files are ordinary resources to them)"},
}

// skillsFindings: the Skills extension (steps calls:skills/list,
// calls:skills/get, calls:skills/load).
var skillsFindings = []Finding{
	{
		ID:       "skills.not-declared",
		Title:    "A skills call was asked of a server that does not declare the extension",
		Severity: Error,
		Rules:    []string{"SEP-2640 §Capability Negotiation (clients issue skills/* only after observing the declaration)"},
		Why: "A server that serves skills says so in capabilities.extensions[\"io.modelcontextprotocol/skills\"]. Without that, " +
			"skills/list and skills/get are unknown methods there, so mcpwalk does not send them.",
		Breaks:  "Hosts never list or load the server's skills; skill:// resources are ordinary resources to them.",
		Clients: verifyingHosts,
		Fix:     "Declare the extension in the server's capabilities (an empty object is enough), together with resources.",
	},
	{
		ID:       "skills.no-resources-capability",
		Title:    "The Skills extension is declared without the resources capability",
		Severity: Warning,
		Rules:    []string{"SEP-2640 §Capability Negotiation (a server declaring the extension MUST also declare resources)"},
		Why:      "Skill files are read with resources/read, which a server offers only under the resources capability.",
		Breaks:   "Clients that check capabilities before reading never fetch SKILL.md; mcpwalk reads it anyway.",
		Fix:      "Declare the resources capability whenever the extension is declared.",
	},
	{
		ID:       "skills.entry-invalid",
		Title:    "A skill entry is malformed",
		Severity: Error,
		Rules: []string{"SEP-2640 §Skill Entries (uri, frontmatter, resources required; resources complete, each file once, within the skill)",
			"SEP-2640 §Integrity and Verification (digest is sha256: and 64 lowercase hex digits)"},
		Why: "The entry is what a host verifies everything against: the SKILL.md URI, the frontmatter with name and description, " +
			"and resources, a complete list of {uri, digest, size} including SKILL.md itself, or \"dynamic\". The message says " +
			"which part is missing or wrong.",
		Breaks:  "Hosts must not load a skill whose entry is invalid: no file of it is read.",
		Clients: verifyingHosts,
		Fix: "Generate entries from the skill directory: list every file once with the SHA-256 and byte length of exactly " +
			"what resources/read returns for it.",
	},
	{
		ID:       "skills.name-mismatch",
		Title:    "The skill's URI does not end in its name",
		Severity: Error,
		Rules:    []string{"SEP-2640 §Resource Mapping (the final <skill-path> segment MUST equal frontmatter.name)"},
		Why:      "The name is recoverable from the URI alone, as the Agent Skills format requires the directory to be named after the skill.",
		Breaks:   "Hosts that address skills by path and name disagree about which skill a URI is; mcpwalk does not load it.",
		Clients:  verifyingHosts,
		Fix:      "Serve skill://<prefix>/<name>/SKILL.md with <name> the frontmatter name, or rename the skill.",
	},
	{
		ID:       "skills.name-rules",
		Title:    "A skill's name or description breaks the Agent Skills rules",
		Severity: Warning,
		Rules:    []string{"SEP-2640 §Resource Mapping (the name MUST satisfy the Agent Skills naming rules)", "Agent Skills specification, name and description fields"},
		Why:      "Names are 1-64 lowercase letters, digits and single hyphens (not first or last); descriptions at most 1024 characters.",
		Breaks:   "Hosts that validate names may reject the skill or refuse to install it as a filesystem skill.",
		Fix:      "Rename the skill (and its directory) to follow the rules; shorten the description.",
	},
	{
		ID:       "skills.dynamic",
		Title:    "A skill's resources are \"dynamic\": nothing read can be verified",
		Severity: Info,
		Rules:    []string{"SEP-2640 §Skill Entries, Resources (\"dynamic\" offers no content integrity)"},
		Why: "A generated skill has no stable digests, so hosts cannot check what they read nor bind an approval to content, " +
			"and its entry lists no supporting files to read. Hosts may decline such skills; mcpwalk still compares SKILL.md's frontmatter.",
	},
	{
		ID:       "skills.limits",
		Title:    "A skill exceeds 512 files or 16 MiB",
		Severity: Warning,
		Rules:    []string{"SEP-2640 §Skill Entries, Limits (servers SHOULD NOT serve larger skills)"},
		Why:      "Every host must accept skills up to these limits, and only up to them; the entry alone shows whether a skill fits.",
		Breaks:   "Some hosts decline the skill before reading any of it.",
		Fix:      "Split the skill, or move large assets out of it.",
	},
	{
		ID:       "skills.duplicate-name",
		Title:    "Two skills of a listing share a name",
		Severity: Warning,
		Rules:    []string{"SEP-2640 §Skill Entries, Names (names SHOULD be unique within a listing)"},
		Why:      "A name is a label, not an identifier: hosts must tell same-named skills apart by URI, and some show only the name.",
		Breaks:   "Users and models may pick the wrong skill where only names are shown.",
		Fix:      "Give each skill its own name, or accept that hosts will disambiguate them by path.",
	},
	{
		ID:       "skills.listed",
		Title:    "skills/list answered with well-formed entries, and no file was read",
		Severity: Pass,
		Rules:    []string{"SEP-2640 §Listing Skills", "SEP-2640 §Integrity and Verification, Lazy Retrieval"},
		Why:      "Listing retrieves nothing ahead of need: SKILL.md is read only when a skill is loaded (skills/load).",
	},
	{
		ID:       "skills.result-fields",
		Title:    "A skills result lacks resultType \"complete\", ttlMs or cacheScope",
		Severity: Warning,
		Rules:    []string{"SEP-2640 §Listing Skills and §Getting a Skill (resultType MUST be \"complete\"; ttlMs and cacheScope are REQUIRED)"},
		Why:      "skills/list and skills/get results are cacheable results of the 2026-07-28 base protocol.",
		Breaks:   "Clients that validate results against the schema reject the answer; others cannot tell how long it stays fresh.",
		Fix:      "Set resultType \"complete\", ttlMs and cacheScope on both results.",
	},
	{
		ID:       "skills.size-mismatch",
		Title:    "A skill file's length differs from the entry's size",
		Severity: Error,
		Rules:    []string{"SEP-2640 §Skill Entries, Resources (a length other than size is a verification failure)", "SEP-2640 §Integrity and Verification, Verification on Read"},
		Why: "size counts the raw bytes resources/read returns (the UTF-8 bytes of text, the decoded bytes of a blob). A " +
			"different length means the file is corrupted, tampered with or newer than the entry.",
		Breaks:  "Hosts must not use the content; the skill is not loaded and nothing more of it is read.",
		Clients: verifyingHosts,
		Fix:     "Compute size from exactly the bytes served; refresh entries whenever a file changes (hosts recover with skills/get).",
	},
	{
		ID:       "skills.digest-mismatch",
		Title:    "A skill file's SHA-256 differs from the entry's digest",
		Severity: Error,
		Rules:    []string{"SEP-2640 §Integrity and Verification, Verification on Read (hosts MUST verify, MUST NOT use unverified content)"},
		Why: "The digest is what makes an approved skill the skill that is run: content that hashes otherwise is corrupted, " +
			"tampered with or stale. (A match proves consistency, not trust: the same server supplies both.)",
		Breaks:  "Hosts must not use the content; the skill is not loaded and nothing more of it is read.",
		Clients: verifyingHosts,
		Fix:     "Hash exactly the bytes served (no re-encoding, line-ending or trailing-newline changes); refresh entries when files change.",
	},
	{
		ID:       "skills.frontmatter-unreadable",
		Title:    "SKILL.md has no readable YAML frontmatter",
		Severity: Error,
		Rules:    []string{"SEP-2640 §Skill Format (SKILL.md MUST begin with YAML frontmatter)", "SEP-2640 §Integrity and Verification, Frontmatter Verification"},
		Why:      "The host compares SKILL.md's frontmatter with the entry's; without frontmatter there is nothing to compare.",
		Breaks:   "The skill is not loaded.",
		Clients:  verifyingHosts,
		Fix:      "Begin SKILL.md with a --- line, a YAML mapping carrying at least name and description, and a closing --- line.",
	},
	{
		ID:       "skills.frontmatter-mismatch",
		Title:    "SKILL.md's frontmatter differs from the entry's",
		Severity: Error,
		Rules:    []string{"SEP-2640 §Skill Entries, Frontmatter (MUST be identical in content)", "SEP-2640 §Integrity and Verification, Frontmatter Verification"},
		Why: "What a user approves is the entry; what the model reads is SKILL.md. A field that differs (the message names it, " +
			"with both values) means the two disagree, even when the file's digest matches.",
		Breaks:  "Hosts must treat it as a verification failure and not load the skill.",
		Clients: verifyingHosts,
		Fix:     "Render the entry's frontmatter from the SKILL.md it describes, every field verbatim.",
	},
	{
		ID:       "skills.frontmatter",
		Title:    "SKILL.md's frontmatter matches the entry's",
		Severity: Pass,
		Rules:    []string{"SEP-2640 §Integrity and Verification, Frontmatter Verification"},
		Why:      "Every field of the YAML frontmatter equals the entry's, and no field is in one only.",
	},
	{
		ID:       "skills.verified",
		Title:    "A skill file matches the entry's size and digest",
		Severity: Pass,
		Rules:    []string{"SEP-2640 §Integrity and Verification, Verification on Read"},
		Why:      "The bytes read are the bytes the entry describes.",
	},
}
