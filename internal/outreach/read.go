package outreach

import (
	"context"
	"encoding/json"
	"strings"

	"github.com/parkdesk/parkdesk/internal/apperr"
	"github.com/parkdesk/parkdesk/internal/auth"
	"github.com/parkdesk/parkdesk/internal/policy"
	"github.com/parkdesk/parkdesk/internal/store"
)

// PackageFilter selects packages for the officers' lists.
type PackageFilter struct {
	Status       PackageStatus // "" for every status
	EnterpriseID int64         // 0 for every enterprise
	Policy       string        // "" for any; else packages offering this policy
	Limit        int           // 0 means 50
	Offset       int
}

// Packages returns a page of packages, newest first, with their offers and
// deliveries, and how many match the filter. A park-limited officer sees
// its park's.
func (s *Service) Packages(ctx context.Context, actor auth.Principal, f PackageFilter) ([]Package, int, error) {
	if err := auth.Can(actor, auth.ManagePackages, auth.Resource{}); err != nil {
		return nil, 0, err
	}
	cond, args := f.where(actor)
	var total int
	if err := s.DB.QueryRow(ctx, "SELECT COUNT(*) FROM outreach_packages p JOIN enterprises e ON e.id = p.enterprise_id"+cond, args...).Scan(&total); err != nil {
		return nil, 0, err
	}
	limit := f.Limit
	if limit <= 0 {
		limit = 50
	}
	pkgs, err := loadPackages(ctx, s.DB, cond+" ORDER BY p.id DESC LIMIT ? OFFSET ?", append(args, limit, max(0, f.Offset))...)
	return pkgs, total, err
}

// Package returns one package: to an officer who handles the enterprise,
// whatever its status; to the enterprise's liaison and to whoever may see
// its results, once delivered. Contact data in the deliveries is masked
// as the principal must see it.
func (s *Service) Package(ctx context.Context, actor auth.Principal, packageID int64) (Package, error) {
	h, err := packageHead(ctx, s.DB, packageID)
	if err != nil {
		return Package{}, err
	}
	if err := s.mayRead(actor, h); err != nil {
		return Package{}, err
	}
	pkgs, err := loadPackages(ctx, s.DB, " WHERE p.id = ?", packageID)
	if err != nil {
		return Package{}, err
	}
	if len(pkgs) == 0 {
		return Package{}, errNotFound("package")
	}
	pkgs[0].Deliveries = maskDeliveries(actor, pkgs[0].Deliveries)
	return pkgs[0], nil
}

// mayRead: officers who handle the enterprise see every package; the
// liaison and those who see its results see the delivered ones.
func (s *Service) mayRead(actor auth.Principal, h head) error {
	if !actor.Authenticated() {
		return auth.ErrUnauthenticated
	}
	if mayManage(actor, h.enterprise) == nil {
		return nil
	}
	res := h.enterprise.resource()
	if !delivered(h.status) || (!auth.Allowed(actor, auth.AnswerPackage, res) && !auth.Allowed(actor, auth.ViewResults, res)) {
		return errNotFound("package")
	}
	return nil
}

func delivered(st PackageStatus) bool { return st == PackageDelivered || st == PackageRead }

// Inbox returns the enterprise's delivered packages, newest first: the
// portal's inbox.
func (s *Service) Inbox(ctx context.Context, actor auth.Principal, enterpriseID int64) ([]Package, error) {
	e, err := enterpriseOf(ctx, s.DB, enterpriseID)
	if err != nil {
		return nil, err
	}
	if !auth.Allowed(actor, auth.AnswerPackage, e.resource()) && !auth.Allowed(actor, auth.ViewResults, e.resource()) {
		if !actor.Authenticated() {
			return nil, auth.ErrUnauthenticated
		}
		return nil, apperr.Errorf(apperr.Forbidden, "you may not see this enterprise's benefit packages")
	}
	pkgs, err := loadPackages(ctx, s.DB, " WHERE p.enterprise_id = ? AND p.status IN ('delivered', 'read') ORDER BY p.id DESC LIMIT 200", enterpriseID)
	for i := range pkgs {
		pkgs[i].Deliveries = maskDeliveries(actor, pkgs[i].Deliveries)
	}
	return pkgs, err
}

// maskDeliveries shows the deliveries' addresses as actor may see them;
// webhooks never show their keys.
func maskDeliveries(actor auth.Principal, list []Delivery) []Delivery {
	for i := range list {
		d := &list[i]
		switch d.Channel {
		case Email, SMS:
			d.Target = auth.MaskContact(actor, auth.Enterprise(d.EnterpriseID, d.ParkID), d.Target)
		case WeCom, DingTalk:
			d.Target = maskWebhook(d.Target)
		}
	}
	return list
}

// loadPackages reads the packages selected by tail (WHERE, ORDER and LIMIT
// over p, the packages, and e, their enterprises) with their offers and
// deliveries: three queries whatever the number of packages.
func loadPackages(ctx context.Context, q store.Queryer, tail string, args ...any) ([]Package, error) {
	rows, err := q.Query(ctx, `SELECT p.id, p.enterprise_id, COALESCE(e.park_id, 0), e.uscc, e.name, p.status, p.auto_approved,
	p.created_at, p.approved_at, COALESCE(p.approved_by, ''), p.delivered_at, p.read_at, p.withdrawn_at
FROM outreach_packages p JOIN enterprises e ON e.id = p.enterprise_id`+tail, args...)
	if err != nil {
		return nil, err
	}
	var pkgs []Package
	index := map[int64]int{}
	for rows.Next() {
		var p Package
		if err := rows.Scan(&p.ID, &p.EnterpriseID, &p.ParkID, &p.USCC, &p.Enterprise, &p.Status, &p.AutoApproved,
			store.ScanTime(&p.CreatedAt), store.ScanTime(&p.ApprovedAt), &p.ApprovedBy, store.ScanTime(&p.DeliveredAt),
			store.ScanTime(&p.ReadAt), store.ScanTime(&p.WithdrawnAt)); err != nil {
			rows.Close()
			return nil, err
		}
		index[p.ID] = len(pkgs)
		pkgs = append(pkgs, p)
	}
	rows.Close()
	if err := rows.Err(); err != nil || len(pkgs) == 0 {
		return pkgs, err
	}
	ids := make([]any, 0, len(pkgs))
	for _, p := range pkgs {
		ids = append(ids, p.ID)
	}
	in := "(" + strings.TrimSuffix(strings.Repeat("?, ", len(ids)), ", ") + ")"
	items, err := loadItems(ctx, q, " WHERE i.package_id IN "+in+" ORDER BY i.package_id, i.policy", ids...)
	if err != nil {
		return nil, err
	}
	for _, it := range items {
		p := &pkgs[index[it.PackageID]]
		p.Items = append(p.Items, it)
	}
	deliveries, err := loadDeliveries(ctx, q, " WHERE d.package_id IN "+in+" ORDER BY d.package_id, d.id", ids...)
	if err != nil {
		return nil, err
	}
	for _, d := range deliveries {
		p := &pkgs[index[d.PackageID]]
		p.Deliveries = append(p.Deliveries, d)
	}
	return pkgs, nil
}

const itemColumns = `i.id, i.package_id, i.enterprise_id, i.policy, i.version_id, i.on_date, COALESCE(i.amount, ''), i.mode,
	i.title_zh, i.title_en, i.why_zh, i.why_en, i.materials, i.where_zh, i.where_en, COALESCE(i.deadline, ''), i.status,
	i.responded_at, COALESCE(i.responded_by, ''), i.decline_reason, COALESCE(i.granted_amount, ''), COALESCE(i.granted_on, ''),
	i.claim_mode, i.by_zh, i.by_en`

func loadItems(ctx context.Context, q store.Queryer, tail string, args ...any) ([]Item, error) {
	rows, err := q.Query(ctx, "SELECT "+itemColumns+" FROM outreach_items i"+tail, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Item
	for rows.Next() {
		it, err := scanItem(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, it)
	}
	return out, rows.Err()
}

func scanItem(row interface{ Scan(...any) error }) (Item, error) {
	var it Item
	var materials string
	err := row.Scan(&it.ID, &it.PackageID, &it.EnterpriseID, &it.Policy, &it.VersionID, &it.OnDate, &it.Amount, &it.Mode,
		&it.Title.Zh, &it.Title.En, &it.Why.Zh, &it.Why.En, &materials, &it.Where.Zh, &it.Where.En, &it.Deadline, &it.Status,
		store.ScanTime(&it.RespondedAt), &it.RespondedBy, &it.DeclineReason, &it.GrantedAmount, &it.GrantedOn,
		&it.ClaimMode, &it.By.Zh, &it.By.En)
	if err != nil {
		return it, err
	}
	var m []policy.Texts
	if json.Unmarshal([]byte(materials), &m) == nil {
		it.Materials = m
	}
	if it.ClaimMode == "" {
		it.ClaimMode = it.Mode // an offer made before claim modes were kept
	}
	return it, nil
}

// where is the SQL condition of the filter over outreach_packages p joined
// to enterprises e, with the actor's park.
func (f PackageFilter) where(actor auth.Principal) (string, []any) {
	var where []string
	var args []any
	if f.Status != "" {
		where = append(where, "p.status = ?")
		args = append(args, string(f.Status))
	}
	if f.EnterpriseID != 0 {
		where = append(where, "p.enterprise_id = ?")
		args = append(args, f.EnterpriseID)
	}
	if f.Policy != "" {
		where = append(where, "EXISTS (SELECT 1 FROM outreach_items i WHERE i.package_id = p.id AND i.policy = ?)")
		args = append(args, f.Policy)
	}
	if actor.ParkID != 0 {
		where = append(where, "e.park_id = ?")
		args = append(args, actor.ParkID)
	}
	if len(where) == 0 {
		return "", nil
	}
	return " WHERE " + strings.Join(where, " AND "), args
}
