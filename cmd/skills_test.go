package cmd

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/mcpwalk/mcpwalk/flow"
	"github.com/modelcontextprotocol/go-sdk/mcp"
)

// skillsServer is an MCP server without authorization that serves one
// skill: the Go SDK serves its files as resources, and skills/list and
// skills/get are answered in front of it (the SDK server routes no
// methods of its own choosing). served overrides what resources/read
// returns, to tamper with a file.
type skillsServer struct {
	served map[string]string
	mu     sync.Mutex
	reads  []string
}

const (
	cmdSkill = "skill://release-notes/SKILL.md"
	cmdGuide = "skill://release-notes/GUIDE.md"
)

var cmdSkillFiles = map[string]string{
	cmdSkill: "---\nname: release-notes\ndescription: Write release notes from merged changes\n---\nRead GUIDE.md.\n",
	cmdGuide: "One line per change.\n",
}

func (s *skillsServer) start(t *testing.T) string {
	caps := &mcp.ServerCapabilities{Resources: &mcp.ResourceCapabilities{}}
	caps.AddExtension(flow.SkillsExtension, nil)
	srv := mcp.NewServer(&mcp.Implementation{Name: "skills", Version: "1"}, &mcp.ServerOptions{Capabilities: caps})
	var entry []map[string]any
	for _, uri := range []string{cmdSkill, cmdGuide} {
		sum := sha256.Sum256([]byte(cmdSkillFiles[uri]))
		entry = append(entry, map[string]any{"uri": uri, "digest": "sha256:" + hex.EncodeToString(sum[:]), "size": len(cmdSkillFiles[uri])})
		srv.AddResource(&mcp.Resource{URI: uri, Name: uri}, func(context.Context, *mcp.ReadResourceRequest) (*mcp.ReadResourceResult, error) {
			text, ok := s.served[uri]
			if !ok {
				text = cmdSkillFiles[uri]
			}
			return &mcp.ReadResourceResult{Contents: []*mcp.ResourceContents{{URI: uri, MIMEType: "text/markdown", Text: text}}}, nil
		})
	}
	skill := map[string]any{"uri": cmdSkill, "resources": entry,
		"frontmatter": map[string]any{"name": "release-notes", "description": "Write release notes from merged changes"}}
	sdk := mcp.NewStreamableHTTPHandler(func(*http.Request) *mcp.Server { return srv }, &mcp.StreamableHTTPOptions{Stateless: true})
	hs := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(io.LimitReader(r.Body, 1<<20))
		r.Body = io.NopCloser(strings.NewReader(string(body)))
		var msg struct {
			ID     json.RawMessage `json:"id"`
			Method string          `json:"method"`
			Params struct {
				URI string `json:"uri"`
			} `json:"params"`
		}
		_ = json.Unmarshal(body, &msg)
		result := map[string]any{"resultType": "complete", "ttlMs": 0, "cacheScope": "private"}
		switch msg.Method {
		case "resources/read":
			s.mu.Lock()
			s.reads = append(s.reads, msg.Params.URI)
			s.mu.Unlock()
			sdk.ServeHTTP(w, r)
			return
		case flow.MethodSkillsList:
			result["skills"] = []any{skill}
		case flow.MethodSkillsGet:
			result["skill"] = skill
		default:
			sdk.ServeHTTP(w, r)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(map[string]any{"jsonrpc": "2.0", "id": msg.ID, "result": result})
	}))
	t.Cleanup(hs.Close)
	return hs.URL + "/mcp"
}

func (s *skillsServer) readsSoFar() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.reads...)
}

func TestCallSkills(t *testing.T) {
	t.Run("skills/list prints the entries and reads nothing", func(t *testing.T) {
		s := &skillsServer{}
		code, out, errOut := run(t, "call", "--token-store", "none", s.start(t), "skills/list")
		var res struct {
			Skills []flow.Skill `json:"skills"`
		}
		if code != 0 || json.Unmarshal(out.Bytes(), &res) != nil || len(res.Skills) != 1 || res.Skills[0].URI != cmdSkill {
			t.Fatalf("exit %d, stdout %s\nstderr:\n%s", code, out, errOut)
		}
		if r := s.readsSoFar(); len(r) != 0 {
			t.Errorf("skills/list read %v", r)
		}
	})
	t.Run("skills/load --all-files prints the verified files", func(t *testing.T) {
		s := &skillsServer{}
		code, out, errOut := run(t, "call", "--token-store", "none", s.start(t), "skills/load", cmdSkill, "--all-files")
		var res flow.LoadedSkill
		if code != 0 || json.Unmarshal(out.Bytes(), &res) != nil || !res.Loaded || len(res.Files) != 2 || res.Files[1].Text != cmdSkillFiles[cmdGuide] {
			t.Fatalf("exit %d, stdout %s\nstderr:\n%s", code, out, errOut)
		}
	})
	t.Run("a tampered SKILL.md exits 1, names the digests, prints nothing and reads no further", func(t *testing.T) {
		s := &skillsServer{served: map[string]string{cmdSkill: strings.Replace(cmdSkillFiles[cmdSkill], "GUIDE", "EVILS", 1)}}
		code, out, errOut := run(t, "call", "--token-store", "none", s.start(t), "skills/load", cmdSkill, "--all-files")
		if code != ExitFailed || out.Len() != 0 {
			t.Fatalf("exit %d, stdout %q; want %d and nothing on stdout", code, out, ExitFailed)
		}
		sum := sha256.Sum256([]byte(cmdSkillFiles[cmdSkill]))
		for _, want := range []string{"skills.digest-mismatch", cmdSkill, "sha256:" + hex.EncodeToString(sum[:])} {
			if !strings.Contains(errOut.String(), want) {
				t.Errorf("stderr lacks %q:\n%s", want, errOut)
			}
		}
		if r := s.readsSoFar(); len(r) != 1 {
			t.Errorf("reads %v: want SKILL.md alone", r)
		}
	})
	t.Run("--all-files goes with skills/load only", func(t *testing.T) {
		if code, _, _ := run(t, "call", "http://127.0.0.1:1/mcp", "skills/list", "--all-files"); code != ExitUsage {
			t.Errorf("exit %d, want %d", code, ExitUsage)
		}
	})
	t.Run("check lists the skills and reads none", func(t *testing.T) {
		s := &skillsServer{}
		code, out, errOut := run(t, "check", "--token-store", "none", "--json", s.start(t))
		r := decodeReport(t, out)
		if st := stepStatuses(r)["calls:skills/list"]; code != 0 || st != "pass" {
			t.Fatalf("exit %d, calls:skills/list %q\nstderr:\n%s", code, st, errOut)
		}
		if reads := s.readsSoFar(); len(reads) != 0 {
			t.Errorf("check read %v", reads)
		}
	})
}
