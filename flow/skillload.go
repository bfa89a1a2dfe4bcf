package flow

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"

	"github.com/mcpwalk/mcpwalk/internal/check"
	"github.com/modelcontextprotocol/go-sdk/mcp"
)

// LoadedSkill is the result of skills/load: the entry it was verified
// against and the files that passed verification. Unverified content is
// never part of it (SEP-2640 §Verification on Read).
type LoadedSkill struct {
	// URI (`uri`) is the skill's SKILL.md URI.
	URI string `json:"uri"`
	// Entry (`entry_from`) is the call the entry came from: skills/list
	// (held from the listing) or skills/get.
	Entry string `json:"entry_from"`
	// Loaded (`loaded`) is true when SKILL.md, and with AllFiles every
	// listed file, passed verification.
	Loaded bool `json:"loaded"`
	// Dynamic (`dynamic`) is set when the entry's resources is "dynamic":
	// nothing could be verified but the frontmatter.
	Dynamic bool `json:"dynamic,omitempty"`
	// Frontmatter (`frontmatter`) is the entry's frontmatter.
	Frontmatter map[string]any `json:"frontmatter,omitempty"`
	// Files (`files`) are the files read and verified, SKILL.md first.
	Files []LoadedFile `json:"files"`
}

// LoadedFile is one verified file of a loaded skill.
type LoadedFile struct {
	URI      string `json:"uri"`
	MIMEType string `json:"mimeType,omitempty"`
	Size     int    `json:"size"`
	Digest   string `json:"digest"`
	// Verified is false only for a dynamic skill, whose entry has no
	// digest to verify against.
	Verified bool   `json:"verified"`
	Text     string `json:"text,omitempty"`
	Blob     []byte `json:"blob,omitempty"`
}

// loadSkill loads one skill the way a host's skill-loading path does: the
// held entry (or skills/get), validated; SKILL.md read and checked against
// the entry's size and digest, then its frontmatter against the entry's,
// field by field; with allFiles, each supporting file the entry lists,
// never another. The first failed verification ends the load: nothing
// more is read and nothing unverified is returned.
func (e *Engine) loadSkill(ctx context.Context, s *stepCtx, uri string, allFiles bool) (any, string, error) {
	h, ok := e.held(uri)
	if !ok {
		sk, _, err := e.getSkill(ctx, s, uri)
		if err != nil {
			return nil, "", err
		}
		h = heldSkill{skill: sk, from: MethodSkillsGet}
	} else {
		for _, c := range checkEntry(h.skill) {
			s.add(c)
		}
	}
	sk := h.skill
	out := &LoadedSkill{URI: uri, Entry: h.from, Dynamic: sk.Resources.Dynamic, Frontmatter: sk.Frontmatter, Files: []LoadedFile{}}
	if s.checks.Failed() {
		return out, "not loaded: the entry is invalid, so no file was read", nil
	}
	want := SkillResource{URI: uri}
	for _, f := range sk.Resources.Files {
		if f.URI == uri {
			want = f
		}
	}
	body, err := e.readSkillFile(ctx, s, want, &out.Files)
	if err != nil || body == nil {
		return out, "not loaded: SKILL.md failed verification", err
	}
	fm, ferr := parseFrontmatter(body)
	if ferr != nil {
		s.add(check.New("skills.frontmatter-unreadable", check.Fail, specSkillFrontmatter,
			"Begin SKILL.md with the YAML frontmatter the entry renders, between --- lines.",
			"%s: %v", uri, ferr))
		out.Files = out.Files[:0]
		return out, "not loaded: SKILL.md has no readable frontmatter", nil
	}
	if diffs := frontmatterDiff(sk.Frontmatter, fm); len(diffs) > 0 {
		for _, d := range diffs {
			s.add(check.New("skills.frontmatter-mismatch", check.Fail, specSkillFrontmatter,
				"Render the entry's frontmatter from the SKILL.md it describes, verbatim; refresh the entry after editing the file.",
				"%s: %s", uri, d))
		}
		out.Files = out.Files[:0]
		return out, "not loaded: SKILL.md's frontmatter differs from the entry's", nil
	}
	s.add(check.New("skills.frontmatter", check.Pass, specSkillFrontmatter, "",
		"%s: the frontmatter matches the entry's, field by field (%d fields)", uri, len(fm)))
	if allFiles && sk.Resources.Dynamic {
		s.add(check.New("skills.dynamic", check.Info, specSkillResources, "",
			"%s: a dynamic skill lists no files, so no supporting file is read", uri))
	}
	if allFiles {
		for _, f := range sk.Resources.Files {
			if f.URI == uri {
				continue
			}
			if body, err := e.readSkillFile(ctx, s, f, &out.Files); err != nil || body == nil {
				return out, fmt.Sprintf("not loaded: %s failed verification", f.URI), err
			}
		}
	}
	out.Loaded = true
	return out, fmt.Sprintf("skill %q loaded: %d file(s) verified", sk.Frontmatter["name"], len(out.Files)), nil
}

// readSkillFile reads one listed file with resources/read and verifies its
// size and digest against the entry (a dynamic skill's SKILL.md has
// neither). It appends the file to files and returns its bytes only when
// it passed; nil bytes and no error mean a failed verification.
func (e *Engine) readSkillFile(ctx context.Context, s *stepCtx, want SkillResource, files *[]LoadedFile) ([]byte, error) {
	r, err := e.session.ReadResource(ctx, &mcp.ReadResourceParams{URI: want.URI})
	if err != nil {
		return nil, fail("See the exchanges: the server's JSON-RPC error says why.", "resources/read %s: %v", want.URI, err)
	}
	var got *mcp.ResourceContents
	for _, c := range r.Contents {
		if c != nil && c.URI == want.URI {
			got = c
			break
		}
	}
	if got == nil {
		return nil, fail("Answer resources/read with the contents of the URI asked for.",
			"resources/read %s returned %d content item(s), none for that URI", want.URI, len(r.Contents))
	}
	body := []byte(got.Text)
	if got.Blob != nil {
		body = got.Blob
	}
	sum := sha256.Sum256(body)
	digest := digestPrefix + hex.EncodeToString(sum[:])
	f := LoadedFile{URI: want.URI, MIMEType: got.MIMEType, Size: len(body), Digest: digest, Text: got.Text, Blob: got.Blob}
	if want.Size == nil {
		*files = append(*files, f) // dynamic: nothing to verify against
		return body, nil
	}
	ok := true
	if int64(len(body)) != *want.Size {
		s.add(check.New("skills.size-mismatch", check.Fail, specSkillVerify,
			"Publish the size of the bytes resources/read returns (UTF-8 bytes of text, decoded bytes of a blob); refresh the entry after changing a file.",
			"%s: %d bytes read, the entry says %d: the content is not used", want.URI, len(body), *want.Size))
		ok = false
	}
	if digest != want.Digest {
		s.add(check.New("skills.digest-mismatch", check.Fail, specSkillVerify,
			"Publish the SHA-256 of the bytes resources/read returns; refresh the entry after changing a file.",
			"%s: the content hashes to %s, the entry says %s: the content is not used", want.URI, digest, want.Digest))
		ok = false
	}
	if !ok {
		return nil, nil
	}
	f.Verified = true
	s.add(check.New("skills.verified", check.Pass, specSkillVerify, "", "%s: %d bytes, %s, as the entry says", want.URI, len(body), digest))
	*files = append(*files, f)
	return body, nil
}

// loadListedSkills is skills/load without a URI: list the skills, then
// load each listed one, each as a step of its own.
func (e *Engine) loadListedSkills(ctx context.Context, c Call) (json.RawMessage, error) {
	// A listing with an invalid entry still lists the others.
	raw, first := e.Call(ctx, Call{Method: MethodSkillsList})
	if raw == nil {
		return nil, first
	}
	var list struct {
		Skills []struct {
			URI string `json:"uri"`
		} `json:"skills"`
	}
	if err := json.Unmarshal(raw, &list); err != nil {
		return nil, fmt.Errorf("skills/list result: %v", err)
	}
	results := []json.RawMessage{}
	for _, sk := range list.Skills {
		if _, ok := e.held(sk.URI); !ok {
			continue // not an entry (its step says why)
		}
		raw, err := e.Call(ctx, Call{Method: MethodSkillsLoad, URI: sk.URI, AllFiles: c.AllFiles})
		if err != nil && first == nil {
			first = err
		}
		if raw != nil {
			results = append(results, raw)
		}
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
	}
	out, err := json.Marshal(map[string]any{"skills": results})
	if err != nil {
		return nil, err
	}
	return out, first
}
