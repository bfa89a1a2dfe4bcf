package flow

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/modelcontextprotocol/go-sdk/mcp"
)

// skillFake is an MCP server with the Skills extension: the Go SDK serves
// the skill files as resources; skills/list and skills/get, which the SDK
// server cannot route, are answered here in front of it. It records every
// resources/read and every skills request.
type skillFake struct {
	// files are the skill files by URI; entries are built from them
	// unless entries is set.
	files map[string]string
	blobs map[string][]byte
	// entries, when set, are listed verbatim.
	entries []map[string]any
	// served overrides what resources/read returns for a URI (tampering).
	served map[string]string
	// pageSize > 0 splits skills/list into pages of that many entries.
	pageSize int
	// sse answers skills/* as an event stream, a notification first.
	sse bool
	// noExtension leaves the extension out of the capabilities.
	noExtension bool
	// rejectFirst answers the first skills request 401 invalid_token.
	rejectFirst bool
	// noResources declares the extension without the resources
	// capability, and serves no file.
	noResources bool
	// stateful serves sessions (Mcp-Session-Id); the Go SDK serves the
	// 2026-07-28 revision only without them.
	stateful bool

	mu        sync.Mutex
	reads     []string
	skillReqs []skillReq
	sdk       http.Handler
}

// skillReq is one skills request as the server saw it.
type skillReq struct {
	method string
	header http.Header
	params map[string]any
}

const (
	pdfSkill = "skill://pdf-processing/SKILL.md"
	pdfForms = "skill://pdf-processing/references/FORMS.md"
	pdfPy    = "skill://pdf-processing/scripts/extract.py"
	pdfBody  = "---\nname: pdf-processing\ndescription: Extract, fill, and assemble PDF documents\nmetadata:\n  version: 2.1.0\n  released: 2024-05-01\n---\n\n# PDF processing\n\nSee references/FORMS.md.\n"
)

// pdfFiles is a well-formed skill of three files, plus a file the entry
// does not list.
func pdfFiles() map[string]string {
	return map[string]string{
		pdfSkill:                             pdfBody,
		pdfForms:                             "Forms: fill them in.\n",
		pdfPy:                                "print('extract')\n",
		"skill://pdf-processing/unlisted.md": "not in the entry\n",
	}
}

func pdfFrontmatter() map[string]any {
	return map[string]any{"name": "pdf-processing", "description": "Extract, fill, and assemble PDF documents",
		"metadata": map[string]any{"version": "2.1.0", "released": "2024-05-01"}}
}

func digestOf(b []byte) string {
	sum := sha256.Sum256(b)
	return "sha256:" + hex.EncodeToString(sum[:])
}

// entryFor is the entry of skill uri listing files, with their real
// digests and sizes.
func (f *skillFake) entryFor(uri string, fm map[string]any, files ...string) map[string]any {
	res := []any{}
	for _, u := range files {
		b := []byte(f.files[u])
		if blob, ok := f.blobs[u]; ok {
			b = blob
		}
		res = append(res, map[string]any{"uri": u, "digest": digestOf(b), "size": len(b)})
	}
	return map[string]any{"uri": uri, "frontmatter": fm, "resources": res}
}

func (f *skillFake) handler() http.Handler {
	caps := &mcp.ServerCapabilities{Resources: &mcp.ResourceCapabilities{}}
	if f.noResources {
		caps.Resources, f.files = nil, map[string]string{}
	}
	if !f.noExtension {
		caps.AddExtension(SkillsExtension, nil)
	}
	s := mcp.NewServer(&mcp.Implementation{Name: "skills-fake", Version: "0.1"}, &mcp.ServerOptions{Capabilities: caps})
	add := func(uri string) {
		s.AddResource(&mcp.Resource{URI: uri, Name: uri}, func(_ context.Context, req *mcp.ReadResourceRequest) (*mcp.ReadResourceResult, error) {
			if blob, ok := f.blobs[uri]; ok {
				return &mcp.ReadResourceResult{Contents: []*mcp.ResourceContents{{URI: uri, MIMEType: "application/octet-stream", Blob: blob}}}, nil
			}
			text := f.files[uri]
			if t, ok := f.served[uri]; ok {
				text = t
			}
			return &mcp.ReadResourceResult{Contents: []*mcp.ResourceContents{{URI: uri, MIMEType: "text/markdown", Text: text}}}, nil
		})
	}
	for uri := range f.files {
		add(uri)
	}
	for uri := range f.blobs {
		add(uri)
	}
	f.sdk = mcp.NewStreamableHTTPHandler(func(*http.Request) *mcp.Server { return s }, &mcp.StreamableHTTPOptions{Stateless: !f.stateful})
	return http.HandlerFunc(f.serve)
}

func (f *skillFake) serve(w http.ResponseWriter, r *http.Request) {
	body, _ := readBody(r)
	var msg struct {
		ID     json.RawMessage `json:"id"`
		Method string          `json:"method"`
		Params map[string]any  `json:"params"`
	}
	_ = json.Unmarshal([]byte(body), &msg)
	if msg.Method == "resources/read" {
		f.mu.Lock()
		f.reads = append(f.reads, fmt.Sprint(msg.Params["uri"]))
		f.mu.Unlock()
	}
	if !strings.HasPrefix(msg.Method, "skills/") {
		f.sdk.ServeHTTP(w, r)
		return
	}
	f.mu.Lock()
	f.skillReqs = append(f.skillReqs, skillReq{method: msg.Method, header: r.Header.Clone(), params: msg.Params})
	first := len(f.skillReqs) == 1
	f.mu.Unlock()
	if f.rejectFirst && first {
		w.Header().Set("WWW-Authenticate", `Bearer error="invalid_token"`)
		http.Error(w, "token revoked", http.StatusUnauthorized)
		return
	}
	result, rpcErr := f.answer(msg.Method, msg.Params)
	resp := map[string]any{"jsonrpc": "2.0", "id": msg.ID}
	if rpcErr != nil {
		resp["error"] = rpcErr
	} else {
		resp["result"] = result
	}
	b, _ := json.Marshal(resp)
	if !f.sse {
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write(b)
		return
	}
	w.Header().Set("Content-Type", "text/event-stream")
	fmt.Fprint(w, ": a comment\r\nevent: message\r\ndata: {\"jsonrpc\":\"2.0\",\"method\":\"notifications/message\",\r\ndata: \"params\":{\"level\":\"info\",\"data\":\"working\"}}\r\n\r\n")
	fmt.Fprintf(w, "event: message\nid: 7\ndata: %s\n\n", b)
}

func (f *skillFake) answer(method string, params map[string]any) (any, any) {
	entries := f.entries
	if entries == nil {
		entries = []map[string]any{f.entryFor(pdfSkill, pdfFrontmatter(), pdfSkill, pdfForms, pdfPy)}
	}
	cache := func(m map[string]any) map[string]any {
		m["resultType"], m["ttlMs"], m["cacheScope"] = "complete", 300000, "private"
		return m
	}
	switch method {
	case MethodSkillsList:
		start := 0
		if c, ok := params["cursor"].(string); ok {
			fmt.Sscan(c, &start)
		}
		end := len(entries)
		if f.pageSize > 0 && start+f.pageSize < end {
			end = start + f.pageSize
		}
		res := cache(map[string]any{"skills": entries[start:end]})
		if end < len(entries) {
			res["nextCursor"] = fmt.Sprint(end)
		}
		return res, nil
	case MethodSkillsGet:
		for _, e := range entries {
			if e["uri"] == params["uri"] {
				return cache(map[string]any{"skill": e}), nil
			}
		}
		return nil, map[string]any{"code": -32602, "message": fmt.Sprintf("No skill is served at %v", params["uri"])}
	}
	return nil, map[string]any{"code": -32601, "message": "method not found"}
}

func (f *skillFake) readsSoFar() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]string(nil), f.reads...)
}

func (f *skillFake) requests() []skillReq {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]skillReq{}, f.skillReqs...)
}

// connectSkills walks to a connected session on a protected server whose
// MCP endpoint is sf, and returns the harness.
func connectSkills(t *testing.T, sf *skillFake, cfg Config) (*harness, *fake) {
	t.Helper()
	if sf.files == nil {
		sf.files = pdfFiles()
	}
	f := (&fake{mcp: sf.handler()}).start(t)
	cfg.ServerURL, cfg.Headless = f.url(), true
	h := newHarness(t, cfg)
	t.Cleanup(h.e.Close)
	ctx := context.Background()
	if err := h.e.Authenticate(ctx); err != nil {
		t.Fatalf("authenticate: %v (%v)", err, stepIDs(h.e.Results()))
	}
	if err := h.e.Connect(ctx); err != nil {
		t.Fatalf("connect: %v (%v)", err, stepIDs(h.e.Results()))
	}
	return h, f
}
