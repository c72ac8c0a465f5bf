package tech

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/parkdesk/parkdesk/internal/apperr"
	"github.com/parkdesk/parkdesk/internal/auth"
	"github.com/parkdesk/parkdesk/internal/store"
)

// Holder is an organisation that holds achievements.
type Holder struct {
	ID      int64  `json:"id"`
	Name    string `json:"name"`
	Kind    string `json:"kind"`
	Contact string `json:"contact,omitempty"`
	Phone   string `json:"phone,omitempty"`
	Email   string `json:"email,omitempty"`
	// Achievements is how many it has listed, in lists.
	Achievements int `json:"achievements"`
}

// holderKind guesses an organisation's kind from its name: 大学/学院 are
// universities, 研究所/研究院/中国科学院 institutes.
func holderKind(name string) string {
	switch {
	case strings.Contains(name, "大学") || strings.Contains(name, "学院"):
		return "university"
	case strings.Contains(name, "研究") || strings.Contains(name, "科学院") || strings.Contains(name, "实验室"):
		return "institute"
	case strings.Contains(name, "公司"):
		return "enterprise"
	}
	return "other"
}

// holderID returns the id of the holder of that name, creating it.
func (s *Service) holderID(ctx context.Context, tx *store.Tx, actor auth.Principal, name string, a Achievement) (int64, error) {
	var id int64
	err := tx.QueryRow(ctx, "SELECT id FROM tech_holders WHERE name = ?", name).Scan(&id)
	if err == nil {
		return id, nil
	}
	if !errors.Is(err, store.ErrNotFound) {
		return 0, err
	}
	now := store.FormatTime(s.now())
	err = tx.QueryRow(ctx, `INSERT INTO tech_holders (name, kind, contact, phone, email, created_at, updated_at)
VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id`, name, holderKind(name), a.Contact, a.Phone, a.Email, now, now).Scan(&id)
	if err != nil {
		return 0, fmt.Errorf("tech: create holder: %w", err)
	}
	return id, auth.Audit(ctx, tx, auth.Entry{Actor: actor, Action: "tech.holder.create", ObjectType: "tech_holder",
		ObjectID: strconv.FormatInt(id, 10), After: map[string]any{"name": name, "kind": holderKind(name)}, At: s.now()})
}

// SaveAchievement adds an achievement, or replaces the one of the same
// code (its holder, by name, is created when new).
func (s *Service) SaveAchievement(ctx context.Context, actor auth.Principal, a Achievement) (Achievement, error) {
	if err := auth.Can(actor, auth.ManageTechCatalogue, auth.Resource{}); err != nil {
		return Achievement{}, err
	}
	a.Status = StatusListed
	if p := a.check(); len(p) > 0 || strings.TrimSpace(a.Holder) == "" {
		if strings.TrimSpace(a.Holder) == "" {
			p = append(p, apperr.Problem{Field: "holder", Reason: "name the university or institute that holds it"})
		}
		return Achievement{}, apperr.InvalidInput("the achievement cannot be saved", p...)
	}
	err := s.DB.InTx(ctx, func(tx *store.Tx) error {
		rev, err := bumpCounter(ctx, tx, "achievements")
		if err != nil {
			return err
		}
		return s.upsertAchievement(ctx, tx, actor, a, rev, nil)
	})
	if err != nil {
		return Achievement{}, err
	}
	return s.achievementByCode(ctx, s.DB, a.Code)
}

// upsertAchievement writes one achievement at a revision, with its terms,
// and audits it. An import passes its holders' ids, audits the file once,
// and not each row.
func (s *Service) upsertAchievement(ctx context.Context, tx *store.Tx, actor auth.Principal, a Achievement, rev int64, holders map[string]int64) error {
	an, err := loadAnalyzer()
	if err != nil {
		return err
	}
	name := strings.TrimSpace(a.Holder)
	holder, ok := holders[name]
	if !ok {
		if holder, err = s.holderID(ctx, tx, actor, name, a); err != nil {
			return err
		}
		if holders != nil {
			holders[name] = holder
		}
	}
	modes := make([]string, len(a.Modes))
	for i, m := range a.Modes {
		modes[i] = string(m)
	}
	now := store.FormatTime(s.now())
	var before *Achievement
	if holders == nil {
		if old, err := s.achievementByCode(ctx, tx, a.Code); err == nil {
			before = &old
		} else if apperr.CodeOf(err) != apperr.NotFound {
			return err
		}
	}
	_, err = tx.Exec(ctx, `INSERT INTO tech_achievements
	(code, title, holder_id, field, keywords, abstract, maturity, transfer_modes, ip_numbers, contact, phone, email, price, status,
	 terms, analyzer, revision, updated_by, created_at, updated_at)
	VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'listed', ?, ?, ?, ?, ?, ?)
	ON CONFLICT (code) DO UPDATE SET title = excluded.title, holder_id = excluded.holder_id, field = excluded.field,
	 keywords = excluded.keywords, abstract = excluded.abstract, maturity = excluded.maturity,
	 transfer_modes = excluded.transfer_modes, ip_numbers = excluded.ip_numbers, contact = excluded.contact,
	 phone = excluded.phone, email = excluded.email, price = excluded.price, status = 'listed', terms = excluded.terms,
	 analyzer = excluded.analyzer, revision = excluded.revision, updated_by = excluded.updated_by, updated_at = excluded.updated_at`,
		a.Code, a.Title, holder, string(a.Field), strings.Join(a.Keywords, "\n"), a.Abstract, string(a.Maturity),
		strings.Join(modes, "\n"), strings.Join(a.IPNumbers, "\n"), a.Contact, a.Phone, a.Email, nullText(a.Price),
		encodeTerms(an.achievementTerms(a)), analyzerVersion, rev, actor.Label, now, now)
	if err != nil {
		return fmt.Errorf("tech: save achievement %s: %w", a.Code, err)
	}
	if holders != nil {
		return nil
	}
	action := "tech.achievement.create"
	var beforeView any
	if before != nil {
		action, beforeView = "tech.achievement.update", before.auditView()
	}
	return auth.Audit(ctx, tx, auth.Entry{Actor: actor, Action: action, ObjectType: "tech_achievement", ObjectID: a.Code,
		Before: beforeView, After: a.auditView(), At: s.now()})
}

func (a Achievement) auditView() map[string]any {
	return map[string]any{"code": a.Code, "title": a.Title, "holder": a.Holder, "field": a.Field, "keywords": a.Keywords,
		"maturity": a.Maturity, "transfer_modes": a.Modes, "ip_numbers": a.IPNumbers, "price": a.Price, "status": a.Status}
}

func nullText(s string) sql.NullString { return sql.NullString{String: s, Valid: s != ""} }

// WithdrawAchievement takes an achievement off the catalogue (kept, for the
// dockings that name it).
func (s *Service) WithdrawAchievement(ctx context.Context, actor auth.Principal, code string) error {
	if err := auth.Can(actor, auth.ManageTechCatalogue, auth.Resource{}); err != nil {
		return err
	}
	return s.DB.InTx(ctx, func(tx *store.Tx) error {
		if _, err := s.achievementByCode(ctx, tx, code); err != nil {
			return err
		}
		rev, err := bumpCounter(ctx, tx, "achievements")
		if err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, "UPDATE tech_achievements SET status = 'withdrawn', revision = ?, updated_by = ?, updated_at = ? WHERE code = ?",
			rev, actor.Label, store.FormatTime(s.now()), code); err != nil {
			return err
		}
		return auth.Audit(ctx, tx, auth.Entry{Actor: actor, Action: "tech.achievement.withdraw", ObjectType: "tech_achievement",
			ObjectID: code, After: map[string]any{"status": StatusWithdrawn}, At: s.now()})
	})
}

// ImportReport says what an import did.
type ImportReport struct {
	File    string   `json:"file"`
	Rows    int      `json:"rows"`
	Created int      `json:"created"`
	Updated int      `json:"updated"`
	Ignored []string `json:"ignored_columns"`
	DryRun  bool     `json:"dry_run"`
}

// ImportAchievements reads a catalogue file and saves every row, all or
// nothing: a bad row writes nothing and the error lists every problem by
// row and column. dryRun checks without writing.
func (s *Service) ImportAchievements(ctx context.Context, actor auth.Principal, file string, data []byte, dryRun bool) (ImportReport, error) {
	if err := auth.Can(actor, auth.ManageTechCatalogue, auth.Resource{}); err != nil {
		return ImportReport{}, err
	}
	achs, ignored, err := ParseAchievements(file, data)
	if err != nil {
		return ImportReport{}, err
	}
	var problems []apperr.Problem
	for i, a := range achs {
		if strings.TrimSpace(a.Holder) == "" {
			problems = append(problems, apperr.Problem{File: file, Record: i + 1, Field: "holder", Reason: "name the university or institute that holds it"})
		}
	}
	if len(problems) > 0 {
		return ImportReport{}, apperr.InvalidInput(fmt.Sprintf("%s: %d problems; nothing was imported", file, len(problems)), problems...)
	}
	rep := ImportReport{File: file, Rows: len(achs), Ignored: nonNilStrings(ignored), DryRun: dryRun}
	existing := map[string]bool{}
	rows, err := s.DB.Query(ctx, "SELECT code FROM tech_achievements")
	if err != nil {
		return rep, err
	}
	for rows.Next() {
		var c string
		if err := rows.Scan(&c); err != nil {
			rows.Close()
			return rep, err
		}
		existing[c] = true
	}
	rows.Close()
	for _, a := range achs {
		if existing[a.Code] {
			rep.Updated++
		} else {
			rep.Created++
		}
	}
	if dryRun {
		return rep, nil
	}
	err = s.saveAll(ctx, actor, achs, auth.Entry{Actor: actor, Action: "tech.achievement.import", ObjectType: "file", ObjectID: file,
		After: map[string]any{"rows": rep.Rows, "created": rep.Created, "updated": rep.Updated}, At: s.now()})
	return rep, err
}

// saveAll writes achievements in one transaction at one revision, audited
// once by the entry given.
func (s *Service) saveAll(ctx context.Context, actor auth.Principal, achs []Achievement, entry auth.Entry) error {
	return s.DB.InTx(ctx, func(tx *store.Tx) error {
		rev, err := bumpCounter(ctx, tx, "achievements")
		if err != nil {
			return err
		}
		holders := map[string]int64{}
		for _, a := range achs {
			if err := s.upsertAchievement(ctx, tx, actor, a, rev, holders); err != nil {
				return err
			}
		}
		return auth.Audit(ctx, tx, entry)
	})
}

// SaveAchievements writes valid achievements in bulk, as the benchmark and
// other programs load a catalogue; an invalid one writes nothing.
func (s *Service) SaveAchievements(ctx context.Context, actor auth.Principal, achs []Achievement) error {
	if err := auth.Can(actor, auth.ManageTechCatalogue, auth.Resource{}); err != nil {
		return err
	}
	for i := range achs {
		achs[i].Status = StatusListed
		if p := achs[i].check(); len(p) > 0 || strings.TrimSpace(achs[i].Holder) == "" {
			return apperr.InvalidInput(fmt.Sprintf("achievement %d (%s) cannot be saved", i+1, achs[i].Code), p...)
		}
	}
	return s.saveAll(ctx, actor, achs, auth.Entry{Actor: actor, Action: "tech.achievement.bulk", ObjectType: "tech_catalogue",
		After: map[string]any{"rows": len(achs)}, At: s.now()})
}

func nonNilStrings(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

const achievementColumns = `a.id, a.code, a.title, a.holder_id, h.name, a.field, a.keywords, a.abstract, a.maturity, a.transfer_modes,
	a.ip_numbers, a.contact, a.phone, a.email, COALESCE(a.price, ''), a.status, a.updated_at`

func scanAchievement(row interface{ Scan(...any) error }) (Achievement, error) {
	var a Achievement
	var keywords, modes, ips string
	err := row.Scan(&a.ID, &a.Code, &a.Title, &a.HolderID, &a.Holder, &a.Field, &keywords, &a.Abstract, &a.Maturity, &modes,
		&ips, &a.Contact, &a.Phone, &a.Email, &a.Price, &a.Status, store.ScanTime(&a.UpdatedAt))
	a.Keywords, a.IPNumbers = lines(keywords), lines(ips)
	for _, m := range lines(modes) {
		a.Modes = append(a.Modes, TransferMode(m))
	}
	if a.Modes == nil {
		a.Modes = []TransferMode{}
	}
	return a, err
}

func lines(s string) []string {
	if s == "" {
		return []string{}
	}
	return strings.Split(s, "\n")
}

func (s *Service) achievementByCode(ctx context.Context, q store.Queryer, code string) (Achievement, error) {
	a, err := scanAchievement(q.QueryRow(ctx, "SELECT "+achievementColumns+
		" FROM tech_achievements a JOIN tech_holders h ON h.id = a.holder_id WHERE a.code = ?", code))
	return a, notFound(err, "achievement")
}

// achievementsByCode reads the achievements of the codes in one query.
func (s *Service) achievementsByCode(ctx context.Context, codes []string) (map[string]Achievement, error) {
	out := make(map[string]Achievement, len(codes))
	if len(codes) == 0 {
		return out, nil
	}
	args := make([]any, len(codes))
	for i, c := range codes {
		args[i] = c
	}
	rows, err := s.DB.Query(ctx, "SELECT "+achievementColumns+" FROM tech_achievements a JOIN tech_holders h ON h.id = a.holder_id WHERE a.code IN ("+
		strings.TrimSuffix(strings.Repeat("?, ", len(codes)), ", ")+")", args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		a, err := scanAchievement(rows)
		if err != nil {
			return nil, err
		}
		out[a.Code] = a
	}
	return out, rows.Err()
}

// Achievement returns one achievement of the catalogue.
func (s *Service) Achievement(ctx context.Context, actor auth.Principal, code string) (Achievement, error) {
	if err := auth.Can(actor, auth.ViewTechCatalogue, auth.Resource{}); err != nil {
		return Achievement{}, err
	}
	return s.achievementByCode(ctx, s.DB, code)
}

// AchievementFilter narrows the catalogue's list.
type AchievementFilter struct {
	Query    string // ranked by the matching when given
	Field    Field
	Maturity Maturity
	Holder   int64
	Limit    int
	Offset   int
}

// Achievements returns a page of the listed achievements and how many
// there are. With a query, they are ranked by it as a need would rank
// them; else newest first.
func (s *Service) Achievements(ctx context.Context, actor auth.Principal, f AchievementFilter) ([]Achievement, int, error) {
	if err := auth.Can(actor, auth.ViewTechCatalogue, auth.Resource{}); err != nil {
		return nil, 0, err
	}
	if f.Limit <= 0 || f.Limit > 200 {
		f.Limit = 50
	}
	where := " WHERE a.status = 'listed'"
	var args []any
	if f.Field != "" {
		where += " AND a.field = ?"
		args = append(args, string(f.Field))
	}
	if f.Maturity != "" {
		where += " AND a.maturity = ?"
		args = append(args, string(f.Maturity))
	}
	if f.Holder != 0 {
		where += " AND a.holder_id = ?"
		args = append(args, f.Holder)
	}
	if q := strings.TrimSpace(f.Query); q != "" {
		ix, err := s.catalogue(ctx)
		if err != nil {
			return nil, 0, err
		}
		hits := ix.Rank(s.mustAnalyzer().needQuery(Need{Title: q}, ""), 500)
		codes := make([]string, len(hits))
		for i, h := range hits {
			codes[i] = h.Key
		}
		byCode, err := s.achievementsByCode(ctx, codes)
		if err != nil {
			return nil, 0, err
		}
		out := []Achievement{}
		for _, h := range hits {
			a, ok := byCode[h.Key]
			if ok && (f.Field == "" || a.Field == f.Field) && (f.Maturity == "" || a.Maturity == f.Maturity) && (f.Holder == 0 || a.HolderID == f.Holder) {
				out = append(out, a)
			}
		}
		total := len(out)
		if f.Offset >= len(out) {
			return []Achievement{}, total, nil
		}
		return out[f.Offset:min(len(out), f.Offset+f.Limit)], total, nil
	}
	var total int
	if err := s.DB.QueryRow(ctx, "SELECT COUNT(*) FROM tech_achievements a"+where, args...).Scan(&total); err != nil {
		return nil, 0, err
	}
	rows, err := s.DB.Query(ctx, "SELECT "+achievementColumns+" FROM tech_achievements a JOIN tech_holders h ON h.id = a.holder_id"+
		where+" ORDER BY a.id DESC LIMIT ? OFFSET ?", append(args, f.Limit, f.Offset)...)
	if err != nil {
		return nil, 0, err
	}
	defer rows.Close()
	out := []Achievement{}
	for rows.Next() {
		a, err := scanAchievement(rows)
		if err != nil {
			return nil, 0, err
		}
		out = append(out, a)
	}
	return out, total, rows.Err()
}

func (s *Service) mustAnalyzer() *analyzer {
	an, err := loadAnalyzer()
	if err != nil {
		panic(err) // the embedded dictionary is part of the binary; a test fails first
	}
	return an
}

// Holders returns the holders with their count of listed achievements.
func (s *Service) Holders(ctx context.Context, actor auth.Principal) ([]Holder, error) {
	if err := auth.Can(actor, auth.ViewTechCatalogue, auth.Resource{}); err != nil {
		return nil, err
	}
	rows, err := s.DB.Query(ctx, `SELECT h.id, h.name, h.kind, h.contact, h.phone, h.email,
	(SELECT COUNT(*) FROM tech_achievements a WHERE a.holder_id = h.id AND a.status = 'listed')
FROM tech_holders h ORDER BY h.name`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []Holder{}
	for rows.Next() {
		var h Holder
		if err := rows.Scan(&h.ID, &h.Name, &h.Kind, &h.Contact, &h.Phone, &h.Email, &h.Achievements); err != nil {
			return nil, err
		}
		out = append(out, h)
	}
	return out, rows.Err()
}
