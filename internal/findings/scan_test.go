package findings

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"
)

// The scanner reads every non-test .go file of the module and collects the
// check ids the code can emit: the first argument of check.New, of any
// .Addf call in a file that imports internal/check and the ID of a
// check.Check literal, resolved when it is a
// string literal, a string constant (also from another package of the
// module), a concatenation of those, a local variable assigned such values,
// or a parameter of a function whose callers pass such values. The status
// argument is resolved the same way, to grade the registry's severities.

// emission is one place that emits a check id.
type emission struct {
	id     string
	pos    string
	status string // Pass, Info, Warn, Fail; "" when not resolvable
}

// unresolved is a check whose id expression the scanner cannot follow.
type unresolved struct {
	pos, expr string
}

type scanResult struct {
	emitted    map[string][]emission
	unresolved []unresolved
	steps      []string // step id bases, for the "<step>.failed" family
}

type pkgInfo struct {
	path   string // import path
	files  []*ast.File
	consts map[string]ast.Expr
	funcs  map[string][]*ast.FuncDecl
}

type scanner struct {
	fset   *token.FileSet
	root   string
	module string
	pkgs   map[string]*pkgInfo // by import path
}

// moduleRoot walks up from the working directory to go.mod.
func moduleRoot(t *testing.T) (dir, module string) {
	t.Helper()
	dir, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for {
		b, err := os.ReadFile(filepath.Join(dir, "go.mod"))
		if err == nil {
			m := regexp.MustCompile(`(?m)^module\s+(\S+)`).FindSubmatch(b)
			if m == nil {
				t.Fatalf("%s/go.mod has no module line", dir)
			}
			return dir, string(m[1])
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Fatal("go.mod not found above the working directory")
		}
		dir = parent
	}
}

func scanModule(t *testing.T) scanResult {
	t.Helper()
	root, module := moduleRoot(t)
	return scanDir(t, root, module)
}

// scanDir scans the module whose root is root.
func scanDir(t *testing.T, root, module string) scanResult {
	t.Helper()
	s := &scanner{fset: token.NewFileSet(), root: root, module: module, pkgs: map[string]*pkgInfo{}}
	err := filepath.WalkDir(root, func(path string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		name := d.Name()
		if d.IsDir() {
			if path != root && (strings.HasPrefix(name, ".") || strings.HasPrefix(name, "_") ||
				name == "testdata" || name == "node_modules" || name == "vendor") {
				return filepath.SkipDir
			}
			return nil
		}
		if !strings.HasSuffix(name, ".go") || strings.HasSuffix(name, "_test.go") {
			return nil
		}
		f, err := parser.ParseFile(s.fset, path, nil, parser.SkipObjectResolution)
		if err != nil {
			return fmt.Errorf("parsing %s: %w", path, err)
		}
		rel, _ := filepath.Rel(root, filepath.Dir(path))
		ip := module
		if rel != "." {
			ip += "/" + filepath.ToSlash(rel)
		}
		p := s.pkgs[ip]
		if p == nil {
			p = &pkgInfo{path: ip, consts: map[string]ast.Expr{}, funcs: map[string][]*ast.FuncDecl{}}
			s.pkgs[ip] = p
		}
		p.files = append(p.files, f)
		for _, decl := range f.Decls {
			switch d := decl.(type) {
			case *ast.GenDecl:
				if d.Tok != token.CONST {
					continue
				}
				for _, spec := range d.Specs {
					vs := spec.(*ast.ValueSpec)
					for i, n := range vs.Names {
						if i < len(vs.Values) {
							p.consts[n.Name] = vs.Values[i]
						}
					}
				}
			case *ast.FuncDecl:
				p.funcs[d.Name.Name] = append(p.funcs[d.Name.Name], d)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	res := scanResult{emitted: map[string][]emission{}}
	paths := make([]string, 0, len(s.pkgs))
	for ip := range s.pkgs {
		paths = append(paths, ip)
	}
	sort.Strings(paths)
	for _, ip := range paths {
		if ip == module+"/internal/check" {
			continue // the definitions themselves
		}
		s.scanPackage(s.pkgs[ip], &res)
	}
	res.steps = s.stepIDs()
	return res
}

// checkImportName is the local name under which f imports internal/check,
// "" when it does not.
func (s *scanner) checkImportName(f *ast.File) string {
	for _, im := range f.Imports {
		p, _ := strconv.Unquote(im.Path.Value)
		if p == s.module+"/internal/check" {
			if im.Name != nil {
				return im.Name.Name
			}
			return "check"
		}
	}
	return ""
}

func (s *scanner) scanPackage(p *pkgInfo, res *scanResult) {
	for _, f := range p.files {
		chk := s.checkImportName(f)
		for _, decl := range f.Decls {
			fn, _ := decl.(*ast.FuncDecl)
			ast.Inspect(decl, func(n ast.Node) bool {
				var idExpr, stExpr ast.Expr
				switch x := n.(type) {
				case *ast.CallExpr:
					sel, ok := x.Fun.(*ast.SelectorExpr)
					if !ok || len(x.Args) < 2 {
						return true
					}
					isNew := chk != "" && sel.Sel.Name == "New" && isIdent(sel.X, chk)
					if !isNew && (sel.Sel.Name != "Addf" || chk == "") {
						return true
					}
					idExpr, stExpr = x.Args[0], x.Args[1]
				case *ast.CompositeLit:
					sel, ok := x.Type.(*ast.SelectorExpr)
					if !ok || chk == "" || !isIdent(sel.X, chk) || sel.Sel.Name != "Check" {
						return true
					}
					for _, el := range x.Elts {
						if kv, ok := el.(*ast.KeyValueExpr); ok {
							switch {
							case isIdent(kv.Key, "ID"):
								idExpr = kv.Value
							case isIdent(kv.Key, "Status"):
								stExpr = kv.Value
							}
						}
					}
					if idExpr == nil {
						return true
					}
				default:
					return true
				}
				pos := s.pos(idExpr)
				ids, ok := s.resolve(p, fn, idExpr, 0)
				if !ok {
					res.unresolved = append(res.unresolved, unresolved{pos, s.src(idExpr)})
					return true
				}
				statuses := []string{""}
				if stExpr != nil {
					if sts, ok := s.resolve(p, fn, stExpr, 0); ok {
						statuses = sts
					}
				}
				for _, id := range ids {
					for _, st := range statuses {
						res.emitted[id] = append(res.emitted[id], emission{id: id, pos: pos, status: st})
					}
				}
				return true
			})
		}
	}
}

func isIdent(e ast.Expr, name string) bool {
	id, ok := e.(*ast.Ident)
	return ok && id.Name == name
}

func (s *scanner) pos(e ast.Node) string {
	p := s.fset.Position(e.Pos())
	rel, err := filepath.Rel(s.root, p.Filename)
	if err != nil {
		rel = p.Filename
	}
	return fmt.Sprintf("%s:%d", filepath.ToSlash(rel), p.Line)
}

func (s *scanner) src(e ast.Expr) string {
	b, err := os.ReadFile(s.fset.Position(e.Pos()).Filename)
	start, end := s.fset.Position(e.Pos()).Offset, s.fset.Position(e.End()).Offset
	if err != nil || end > len(b) {
		return "?"
	}
	return string(b[start:end])
}
