package findings

import (
	"go/ast"
	"go/token"
	"regexp"
	"sort"
	"strconv"
	"strings"
)

// statusNames are the check.Status constants, resolved by name.
var statusNames = map[string]bool{"Pass": true, "Info": true, "Warn": true, "Fail": true}

// resolve returns every string an expression can take (or, for check.X
// status selectors, the constant's name). fn is the enclosing function.
func (s *scanner) resolve(p *pkgInfo, fn *ast.FuncDecl, e ast.Expr, depth int) ([]string, bool) {
	if depth > 8 {
		return nil, false
	}
	switch x := e.(type) {
	case *ast.BasicLit:
		if x.Kind != token.STRING {
			return nil, false
		}
		v, err := strconv.Unquote(x.Value)
		return []string{v}, err == nil
	case *ast.ParenExpr:
		return s.resolve(p, fn, x.X, depth+1)
	case *ast.BinaryExpr:
		if x.Op != token.ADD {
			return nil, false
		}
		l, ok1 := s.resolve(p, fn, x.X, depth+1)
		r, ok2 := s.resolve(p, fn, x.Y, depth+1)
		if !ok1 || !ok2 {
			return nil, false
		}
		var out []string
		for _, a := range l {
			for _, b := range r {
				out = append(out, a+b)
			}
		}
		return out, true
	case *ast.SelectorExpr:
		pkgName, ok := x.X.(*ast.Ident)
		if !ok {
			return nil, false
		}
		if statusNames[x.Sel.Name] {
			return []string{x.Sel.Name}, true
		}
		if other := s.importedPkg(p, fn, pkgName.Name); other != nil {
			if c, ok := other.consts[x.Sel.Name]; ok {
				return s.resolve(other, nil, c, depth+1)
			}
		}
		return nil, false
	case *ast.Ident:
		if fn != nil {
			if vals, ok, found := s.resolveLocal(p, fn, x.Name, depth); found {
				return vals, ok
			}
		}
		if c, ok := p.consts[x.Name]; ok {
			return s.resolve(p, nil, c, depth+1)
		}
	}
	return nil, false
}

// importedPkg finds the module package imported under name by the file
// that holds fn (any file of p when fn is nil).
func (s *scanner) importedPkg(p *pkgInfo, fn *ast.FuncDecl, name string) *pkgInfo {
	for _, f := range p.files {
		if fn != nil && (fn.Pos() < f.Pos() || fn.End() > f.End()) {
			continue
		}
		for _, im := range f.Imports {
			path, _ := strconv.Unquote(im.Path.Value)
			local := path[strings.LastIndex(path, "/")+1:]
			if im.Name != nil {
				local = im.Name.Name
			}
			if local == name {
				return s.pkgs[path]
			}
		}
	}
	return nil
}

// resolveLocal resolves name as a variable assigned in fn or as one of
// fn's parameters. found is false when name is neither.
func (s *scanner) resolveLocal(p *pkgInfo, fn *ast.FuncDecl, name string, depth int) (vals []string, ok, found bool) {
	ok = true
	ast.Inspect(fn.Body, func(n ast.Node) bool {
		switch a := n.(type) {
		case *ast.AssignStmt:
			for i, l := range a.Lhs {
				if !isIdent(l, name) {
					continue
				}
				found = true
				if len(a.Rhs) != len(a.Lhs) {
					ok = false
					continue
				}
				v, good := s.resolve(p, fn, a.Rhs[i], depth+1)
				ok = ok && good
				vals = append(vals, v...)
			}
		case *ast.ValueSpec:
			for i, l := range a.Names {
				if l.Name != name {
					continue
				}
				found = true
				if i >= len(a.Values) {
					continue
				}
				v, good := s.resolve(p, fn, a.Values[i], depth+1)
				ok = ok && good
				vals = append(vals, v...)
			}
		}
		return true
	})
	if found {
		return vals, ok && len(vals) > 0, true
	}
	idx := paramIndex(fn, name)
	if idx < 0 {
		return nil, false, false
	}
	// A parameter: every call of this function in the package.
	found, ok = true, true
	calls := 0
	for _, f := range p.files {
		ast.Inspect(f, func(n ast.Node) bool {
			call, isCall := n.(*ast.CallExpr)
			if !isCall || calleeName(call.Fun) != fn.Name.Name || idx >= len(call.Args) {
				return true
			}
			calls++
			v, good := s.resolve(p, enclosingFunc(f, call), call.Args[idx], depth+1)
			ok = ok && good
			vals = append(vals, v...)
			return true
		})
	}
	return vals, ok && calls > 0, true
}

func paramIndex(fn *ast.FuncDecl, name string) int {
	i := 0
	for _, field := range fn.Type.Params.List {
		for _, n := range field.Names {
			if n.Name == name {
				return i
			}
			i++
		}
		if len(field.Names) == 0 {
			i++
		}
	}
	return -1
}

func calleeName(e ast.Expr) string {
	switch x := e.(type) {
	case *ast.Ident:
		return x.Name
	case *ast.SelectorExpr:
		return x.Sel.Name
	}
	return ""
}

func enclosingFunc(f *ast.File, n ast.Node) *ast.FuncDecl {
	for _, d := range f.Decls {
		if fn, ok := d.(*ast.FuncDecl); ok && fn.Pos() <= n.Pos() && n.End() <= fn.End() {
			return fn
		}
	}
	return nil
}

// stepIDs are the bases of every step id the engine records: the Step*
// constants of package flow plus every "name:" prefix a step id is built
// from ("probes:" + name). report.Build turns a failed step without a
// failing check into "<base>.failed".
func (s *scanner) stepIDs() []string {
	p := s.pkgs[s.module+"/flow"]
	if p == nil {
		return nil
	}
	set := map[string]bool{}
	for name, e := range p.consts {
		if !strings.HasPrefix(name, "Step") {
			continue
		}
		if v, ok := s.resolve(p, nil, e, 0); ok && len(v) == 1 {
			set[v[0]] = true
		}
	}
	prefix := regexp.MustCompile(`^([a-z][a-z0-9-]*):$`)
	for _, f := range p.files {
		ast.Inspect(f, func(n ast.Node) bool {
			b, ok := n.(*ast.BinaryExpr)
			if !ok || b.Op != token.ADD {
				return true
			}
			if lit, ok := b.X.(*ast.BasicLit); ok && lit.Kind == token.STRING {
				v, _ := strconv.Unquote(lit.Value)
				if m := prefix.FindStringSubmatch(v); m != nil {
					set[m[1]] = true
				}
			}
			return true
		})
	}
	out := make([]string, 0, len(set))
	for k := range set {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
