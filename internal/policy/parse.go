package policy

import (
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/cockroachdb/apd/v3"
	"go.yaml.in/yaml/v3"
)

// policyDef is a policy file as written, checked for shape but not yet
// compiled.
type policyDef struct {
	id         string
	idNode     *yaml.Node
	title      Texts
	summary    Texts
	documents  []Document
	mode       Mode
	benefit    BenefitKind
	taxRate    *exprDef
	taxRateLbl Texts
	claim      Claim
	verified   bool
	unverified *unverifiedNote
	inForce    inForce
	sizeBasis  string
	tolerance  *apd.Decimal
	params     []*paramDef
	derived    []*derivedDef
	criteria   []*criterionDef
	amount     *amountDef
	report     []nameRef
	notes      []*noteDef
	materials  []Texts
	fixtures   map[string]*yaml.Node
	tests      []*testDef
}

// exprDef is an expression and the node it was written in, for positions.
type exprDef struct {
	text string
	node *yaml.Node
}

type nameRef struct {
	name string
	node *yaml.Node
}

type paramKind uint8

const (
	paramDecimal paramKind = iota + 1
	paramString
	paramBool
	paramIndustryList
)

var paramKindNames = map[string]paramKind{"decimal": paramDecimal, "string": paramString, "bool": paramBool, "industry_list": paramIndustryList}

type paramDef struct {
	name   string
	node   *yaml.Node
	label  Texts
	unit   Unit
	kind   paramKind
	values []paramValue
	local  *localDef
}

// localDef lets a park set its own value of a parameter (parameters.X.local).
type localDef struct {
	node     *yaml.Node
	min, max *apd.Decimal
	from     time.Time
	document string
}

type paramValue struct {
	from     time.Time
	node     *yaml.Node
	kind     paramKind // as written
	num      *apd.Decimal
	str      string
	boolean  bool
	verified bool
}

type derivedDef struct {
	name  string
	node  *yaml.Node
	expr  exprDef
	label Texts
	unit  Unit
}

type criterionDef struct {
	id          string
	node        *yaml.Node
	label       Texts
	expr        exprDef
	appliesWhen *exprDef
	unit        Unit
	tolerance   *apd.Decimal
	money       *exprDef
	moneyLabel  Texts
}

// noteDef is a sentence the explanation adds when its condition holds.
type noteDef struct {
	node *yaml.Node
	when exprDef
	text Texts
}

type amountDef struct {
	expr  exprDef
	label Texts
	parts []nameRef
}

var idPattern = regexp.MustCompile(`^[a-z0-9][a-z0-9-]{0,63}$`)

// parsePolicy reads the top level of a policy file.
func parsePolicy(r *fileReader, root *yaml.Node) *policyDef {
	m := r.mapping(root, "the policy", "id", "title", "summary", "documents", "mode", "benefit", "claim", "verified", "unverified",
		"in_force", "size_basis", "near_miss", "parameters", "derived", "criteria", "amount", "report",
		"notes", "materials", "fixtures", "tests")
	p := &policyDef{sizeBasis: "revenue", verified: true}
	if n := m.required("id", "the policy"); n != nil {
		p.idNode = n
		p.id = r.text(n, "id")
		if p.id != "" && !idPattern.MatchString(p.id) {
			r.errorf(n, "id %q: use lower-case letters, digits and '-'", p.id)
		}
	}
	if n := m.required("title", "the policy"); n != nil {
		p.title = r.texts(n, "title")
	}
	if n := m.get("summary"); n != nil {
		p.summary = r.texts(n, "summary")
	}
	if n := m.required("documents", "the policy"); n != nil {
		for _, d := range r.sequence(n, "documents") {
			dm := r.mapping(d, "a document", "number", "title", "url", "note")
			doc := Document{}
			if v := dm.required("number", "a document"); v != nil {
				doc.Number = r.text(v, "document number")
			}
			if v := dm.get("title"); v != nil {
				doc.Title = r.text(v, "document title")
			}
			if v := dm.get("url"); v != nil {
				doc.URL = r.text(v, "document url")
				if !strings.HasPrefix(doc.URL, "https://") && !strings.HasPrefix(doc.URL, "http://") {
					r.errorf(v, "document url must start with https:// or http://")
				}
			}
			if v := dm.get("note"); v != nil {
				doc.Note = r.text(v, "document note")
			}
			p.documents = append(p.documents, doc)
		}
		if len(p.documents) == 0 && n.Kind == yaml.SequenceNode {
			r.errorf(n, "documents: name at least the issuing document")
		}
	}
	if n := m.required("mode", "the policy"); n != nil {
		if s, _ := r.scalar(n, "mode"); slices.Contains(modes, Mode(s)) {
			p.mode = Mode(s)
		} else {
			r.errorf(n, "mode must be automatic (免申即享), confirm (免申即享, the enterprise confirms), apply or self_declare (自行申报享受, claimed in the tax filing), not %q", s)
		}
	}
	if n := m.required("benefit", "the policy"); n != nil {
		parseBenefit(r, n, p)
	}
	if n := m.required("claim", "the policy"); n != nil {
		cm := r.mapping(n, "claim", "where", "by")
		if v := cm.required("where", "claim"); v != nil {
			p.claim.Where = r.texts(v, "claim.where")
		}
		if v := cm.required("by", "claim"); v != nil {
			p.claim.By = r.texts(v, "claim.by")
		}
	}
	if n := m.required("verified", "the policy"); n != nil {
		p.verified, _ = r.boolean(n, "verified")
	}
	if n := m.get("unverified"); n != nil {
		um := r.mapping(n, "unverified", "from", "zh", "en")
		note := &unverifiedNote{}
		if v := um.get("from"); v != nil {
			note.from, _ = r.date(v, "unverified.from")
		}
		if v := um.required("zh", "unverified"); v != nil {
			note.text.Zh = r.text(v, "unverified.zh")
		}
		if v := um.required("en", "unverified"); v != nil {
			note.text.En = r.text(v, "unverified.en")
		}
		p.unverified = note
	}
	if !p.verified && p.unverified == nil && m.get("verified") != nil {
		r.errorf(m.get("verified"), "a policy with verified: false must say what is unverified (unverified: {zh, en})")
	}
	if p.verified && p.unverified != nil {
		r.errorf(m.keys["unverified"], "unverified is given but verified is true")
	}
	if n := m.required("in_force", "the policy"); n != nil {
		p.inForce = parseInForce(r, n)
	}
	if n := m.get("size_basis"); n != nil {
		switch s, _ := r.scalar(n, "size_basis"); s {
		case "revenue", "vat_sales":
			p.sizeBasis = s
		default:
			r.errorf(n, "size_basis must be revenue or vat_sales, not %q", s)
		}
	}
	if n := m.get("near_miss"); n != nil {
		nm := r.mapping(n, "near_miss", "tolerance")
		if v := nm.required("tolerance", "near_miss"); v != nil {
			p.tolerance = parseTolerance(r, v)
		}
	}
	if n := m.get("parameters"); n != nil {
		p.params = parseParams(r, n)
	}
	if n := m.get("derived"); n != nil {
		p.derived = parseDerived(r, n)
	}
	if n := m.required("criteria", "the policy"); n != nil {
		p.criteria = parseCriteria(r, n)
	}
	if n := m.get("amount"); n != nil {
		p.amount = parseAmount(r, n)
	}
	if n := m.get("report"); n != nil {
		p.report = parseNames(r, n, "report")
	}
	if n := m.get("notes"); n != nil {
		p.notes = parseNotes(r, n)
	}
	if n := m.get("materials"); n != nil {
		for _, item := range r.sequence(n, "materials") {
			p.materials = append(p.materials, r.texts(item, "a material"))
		}
	}
	if p.mode == Apply && len(p.materials) == 0 && m.node != nil && m.node.Kind == yaml.MappingNode {
		r.errorf(m.keys["mode"], "an apply-mode policy must list the materials an application needs")
	}
	if p.benefit != "" && p.benefit != Qualification && m.get("amount") == nil && m.node != nil && m.node.Kind == yaml.MappingNode {
		r.errorf(m.keys["benefit"], "a %s benefit needs an amount", p.benefit)
	}
	if n := m.get("fixtures"); n != nil {
		fm := r.mapping(n, "fixtures")
		p.fixtures = make(map[string]*yaml.Node, len(fm.order))
		for _, name := range fm.order {
			p.fixtures[name] = fm.values[name]
		}
	}
	if n := m.required("tests", "the policy"); n != nil {
		p.tests = parseTests(r, n)
		if len(p.tests) == 0 && n.Kind == yaml.SequenceNode {
			r.errorf(n, "tests: a policy needs at least one test case")
		}
	}
	return p
}
