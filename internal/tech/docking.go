package tech

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/parkdesk/parkdesk/internal/apperr"
	"github.com/parkdesk/parkdesk/internal/auth"
	"github.com/parkdesk/parkdesk/internal/money"
	"github.com/parkdesk/parkdesk/internal/outreach"
	"github.com/parkdesk/parkdesk/internal/store"
)

// Stage is where a docking is.
type Stage string

// The stages: introduced → talks → signed, or closed from either of the
// first two.
const (
	StageIntroduced Stage = "introduced"
	StageTalks      Stage = "talks"
	StageSigned     Stage = "signed"
	StageClosed     Stage = "closed"
)

// Stages lists the stages in order.
func Stages() []Stage { return []Stage{StageIntroduced, StageTalks, StageSigned, StageClosed} }

// Docking is an enterprise introduced to an achievement's holder, and what
// came of it.
type Docking struct {
	ID              int64        `json:"id"`
	EnterpriseID    int64        `json:"enterprise_id"`
	Enterprise      string       `json:"enterprise"`
	ParkID          int64        `json:"-"`
	AchievementCode string       `json:"achievement"`
	AchievementName string       `json:"achievement_title"`
	Holder          string       `json:"holder"`
	NeedID          int64        `json:"need_id,omitempty"`
	NeedTitle       string       `json:"need_title,omitempty"`
	EventID         int64        `json:"event_id,omitempty"`
	Stage           Stage        `json:"stage"`
	Reason          string       `json:"reason"`
	ContractAmount  string       `json:"contract_amount,omitempty"`
	ContractMode    TransferMode `json:"contract_mode,omitempty"`
	SignedOn        string       `json:"signed_on,omitempty"`
	ClosedReason    string       `json:"closed_reason,omitempty"`
	IntroducedBy    string       `json:"introduced_by"`
	IntroducedAt    time.Time    `json:"introduced_at"`
	UpdatedAt       time.Time    `json:"updated_at"`
	Steps           []Step       `json:"steps,omitempty"`
}

// Step is one change of a docking's stage.
type Step struct {
	Stage Stage     `json:"stage"`
	Note  string    `json:"note"`
	Actor string    `json:"actor"`
	At    time.Time `json:"at"`
}

// Introduction is an officer's introduction of an enterprise to the holder
// of an achievement: for one of its needs, at a docking event, or on the
// officer's own judgement.
type Introduction struct {
	EnterpriseID    int64
	AchievementCode string
	NeedID          int64
	EventID         int64
	Note            string
}

// Introduce records an introduction and tells both sides through the
// outbox: the enterprise by its channels (the portal inbox always), the
// holder's contact by e-mail and SMS. The reason of the match (shared
// terms, industry fit) is kept with it. Introducing the same pair twice
// is a conflict.
func (s *Service) Introduce(ctx context.Context, actor auth.Principal, in Introduction) (Docking, error) {
	res, err := auth.EnterpriseResource(ctx, s.DB, in.EnterpriseID)
	if err != nil {
		return Docking{}, notFound(err, "enterprise")
	}
	if err := auth.Can(actor, auth.ManageDockings, res); err != nil {
		return Docking{}, err
	}
	a, err := s.achievementByCode(ctx, s.DB, in.AchievementCode)
	if err != nil {
		return Docking{}, err
	}
	if a.Status != StatusListed {
		return Docking{}, apperr.InvalidInput("the introduction cannot be made", apperr.Problem{Field: "achievement", Reason: "the achievement is withdrawn"})
	}
	reason := ""
	var need Need
	if in.NeedID != 0 {
		need, err = s.visibleNeed(ctx, actor, in.NeedID, auth.ViewTechNeed)
		if err != nil {
			return Docking{}, err
		}
		if need.EnterpriseID != in.EnterpriseID {
			return Docking{}, apperr.InvalidInput("the introduction cannot be made", apperr.Problem{Field: "need", Reason: "the need is another enterprise's"})
		}
		_, recs, err := s.Recommend(ctx, actor, in.NeedID, 50)
		if err != nil {
			return Docking{}, err
		}
		for _, r := range recs {
			if r.Achievement.Code == a.Code {
				reason = r.Why.Reason
			}
		}
	}
	var holder Holder
	if err := s.DB.QueryRow(ctx, "SELECT name, contact, phone, email FROM tech_holders WHERE id = ?", a.HolderID).
		Scan(&holder.Name, &holder.Contact, &holder.Phone, &holder.Email); err != nil {
		return Docking{}, err
	}
	var enterpriseName string
	if err := s.DB.QueryRow(ctx, "SELECT name FROM enterprises WHERE id = ?", in.EnterpriseID).Scan(&enterpriseName); err != nil {
		return Docking{}, err
	}
	now := s.now()
	var id int64
	err = s.DB.InTx(ctx, func(tx *store.Tx) error {
		err := tx.QueryRow(ctx, `INSERT INTO tech_dockings (enterprise_id, achievement_id, need_id, event_id, stage, reason, introduced_by, introduced_at, updated_at)
VALUES (?, ?, ?, ?, 'introduced', ?, ?, ?, ?) RETURNING id`, in.EnterpriseID, a.ID, nullInt(in.NeedID), nullInt(in.EventID), reason,
			actor.Label, store.FormatTime(now), store.FormatTime(now)).Scan(&id)
		if errors.Is(err, store.ErrConflict) {
			return apperr.Errorf(apperr.Conflict, "%s was already introduced to %s", enterpriseName, a.Title)
		}
		if errors.Is(err, store.ErrReferenced) {
			return apperr.Errorf(apperr.NotFound, "no such docking event")
		}
		if err != nil {
			return fmt.Errorf("tech: introduce: %w", err)
		}
		if err := addStep(ctx, tx, id, StageIntroduced, in.Note, actor, now); err != nil {
			return err
		}
		body := fmt.Sprintf("园区为贵单位对接了科技成果「%s」（%s，编号 %s）。", a.Title, holder.Name, a.Code)
		if need.Title != "" {
			body += fmt.Sprintf("对应技术需求：%s。", need.Title)
		}
		if reason != "" {
			body += "推荐理由：" + reason + "。"
		}
		body += fmt.Sprintf("成果联系人：%s %s。", firstNonEmpty(a.Contact, holder.Contact), firstNonEmpty(a.Phone, holder.Phone))
		if _, err := outreach.QueueNotice(ctx, tx, outreach.Notice{Kind: "tech_introduction", EnterpriseID: in.EnterpriseID,
			Subject: "科技成果对接：" + a.Title, Body: body, Link: s.PortalURL + "/portal/tech"}, now); err != nil {
			return err
		}
		var others []outreach.Recipient
		if email := firstNonEmpty(a.Email, holder.Email); email != "" {
			others = append(others, outreach.Recipient{Channel: outreach.Email, Target: email})
		}
		if phone := firstNonEmpty(a.Phone, holder.Phone); phone != "" {
			others = append(others, outreach.Recipient{Channel: outreach.SMS, Target: phone})
		}
		if len(others) > 0 {
			hb := fmt.Sprintf("园区企业「%s」希望就贵单位的科技成果「%s」（编号 %s）进一步洽谈。", enterpriseName, a.Title, a.Code)
			if need.Title != "" {
				hb += "企业需求：" + need.Title + "。"
			}
			if _, err := outreach.QueueNotice(ctx, tx, outreach.Notice{Kind: "tech_introduction_holder",
				Subject: "成果对接：" + enterpriseName, Body: hb, Others: others}, now); err != nil {
				return err
			}
		}
		return auth.Audit(ctx, tx, auth.Entry{Actor: actor, Action: "tech.docking.introduce", ObjectType: "tech_docking",
			ObjectID: strconv.FormatInt(id, 10), After: map[string]any{"enterprise_id": in.EnterpriseID, "achievement": a.Code,
				"need_id": in.NeedID, "event_id": in.EventID, "reason": reason}, At: now})
	})
	if err != nil {
		return Docking{}, err
	}
	return s.dockingByID(ctx, id)
}

func firstNonEmpty(s ...string) string {
	for _, x := range s {
		if strings.TrimSpace(x) != "" {
			return x
		}
	}
	return ""
}

func nullInt(v int64) any {
	if v == 0 {
		return nil
	}
	return v
}

func addStep(ctx context.Context, tx *store.Tx, id int64, st Stage, note string, actor auth.Principal, at time.Time) error {
	_, err := tx.Exec(ctx, "INSERT INTO tech_docking_steps (docking_id, stage, note, actor, at) VALUES (?, ?, ?, ?, ?)",
		id, string(st), note, actor.Label, store.FormatTime(at))
	return err
}

// Progress is a docking's next step: talks; signed with the contract's
// amount, mode and date; or closed with the reason.
type Progress struct {
	Stage    Stage
	Note     string
	Amount   string // as typed: 80万, 800000
	Mode     string
	SignedOn string // YYYY-MM-DD
	Reason   string
}

// Advance moves a docking on. Signed and closed are final.
func (s *Service) Advance(ctx context.Context, actor auth.Principal, id int64, p Progress) (Docking, error) {
	d, err := s.visibleDocking(ctx, actor, id)
	if err != nil {
		return Docking{}, err
	}
	if err := auth.Can(actor, auth.ManageDockings, auth.Enterprise(d.EnterpriseID, d.ParkID)); err != nil {
		return Docking{}, err
	}
	var problems []apperr.Problem
	bad := func(field, format string, args ...any) {
		problems = append(problems, apperr.Problem{Field: field, Reason: fmt.Sprintf(format, args...)})
	}
	if d.Stage == StageSigned || d.Stage == StageClosed {
		return Docking{}, apperr.Errorf(apperr.Conflict, "the docking is %s already", d.Stage)
	}
	var amount, mode, signedOn, reason any
	switch p.Stage {
	case StageTalks:
		if d.Stage != StageIntroduced {
			bad("stage", "talks follow an introduction")
		}
	case StageSigned:
		a, r := ParseYuan(p.Amount)
		switch {
		case r != "":
			bad("amount", "%s", r)
		case a == "":
			bad("amount", "give the contract amount")
		default:
			f, err := money.Parse(a)
			if err != nil || f <= 0 {
				bad("amount", "the contract amount must be more than zero")
			}
			amount = a
		}
		if m, ok := ParseTransferMode(p.Mode); ok {
			mode = string(m)
		} else {
			bad("mode", "choose how the achievement is transferred (转让, 许可, 作价入股, 合作开发)")
		}
		if _, err := time.Parse(time.DateOnly, p.SignedOn); err != nil {
			bad("signed_on", "give the date of signing (YYYY-MM-DD)")
		} else if p.SignedOn > s.now().Format(time.DateOnly) {
			bad("signed_on", "the date of signing is in the future")
		} else {
			signedOn = p.SignedOn
		}
	case StageClosed:
		if strings.TrimSpace(p.Reason) == "" {
			bad("reason", "say why the contact ended")
		}
		reason = strings.TrimSpace(p.Reason)
	default:
		bad("stage", "%q is not a next step (talks, signed, closed)", p.Stage)
	}
	if len(problems) > 0 {
		return Docking{}, apperr.InvalidInput("the docking cannot move on", problems...)
	}
	now := s.now()
	err = s.DB.InTx(ctx, func(tx *store.Tx) error {
		res, err := tx.Exec(ctx, `UPDATE tech_dockings SET stage = ?, contract_amount = COALESCE(?, contract_amount),
	contract_mode = COALESCE(?, contract_mode), signed_on = COALESCE(?, signed_on), closed_reason = COALESCE(?, closed_reason), updated_at = ?
WHERE id = ? AND stage = ?`, string(p.Stage), amount, mode, signedOn, reason, store.FormatTime(now), id, string(d.Stage))
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return apperr.Errorf(apperr.Conflict, "the docking changed meanwhile; reload and try again")
		}
		if err := addStep(ctx, tx, id, p.Stage, strings.TrimSpace(p.Note), actor, now); err != nil {
			return err
		}
		return auth.Audit(ctx, tx, auth.Entry{Actor: actor, Action: "tech.docking." + string(p.Stage), ObjectType: "tech_docking",
			ObjectID: strconv.FormatInt(id, 10), Before: map[string]any{"stage": d.Stage},
			After: map[string]any{"stage": p.Stage, "amount": amount, "mode": mode, "signed_on": signedOn, "reason": reason, "note": p.Note}, At: now})
	})
	if err != nil {
		return Docking{}, err
	}
	return s.dockingByID(ctx, id)
}

const dockingColumns = `d.id, d.enterprise_id, e.name, COALESCE(e.park_id, 0), a.code, a.title, h.name, COALESCE(d.need_id, 0),
	COALESCE(n.title, ''), COALESCE(d.event_id, 0), d.stage, d.reason, COALESCE(d.contract_amount, ''), COALESCE(d.contract_mode, ''),
	COALESCE(d.signed_on, ''), d.closed_reason, d.introduced_by, d.introduced_at, d.updated_at`

const dockingFrom = ` FROM tech_dockings d JOIN enterprises e ON e.id = d.enterprise_id JOIN tech_achievements a ON a.id = d.achievement_id
JOIN tech_holders h ON h.id = a.holder_id LEFT JOIN tech_needs n ON n.id = d.need_id`

func scanDocking(row interface{ Scan(...any) error }) (Docking, error) {
	var d Docking
	err := row.Scan(&d.ID, &d.EnterpriseID, &d.Enterprise, &d.ParkID, &d.AchievementCode, &d.AchievementName, &d.Holder, &d.NeedID,
		&d.NeedTitle, &d.EventID, &d.Stage, &d.Reason, &d.ContractAmount, &d.ContractMode, &d.SignedOn, &d.ClosedReason,
		&d.IntroducedBy, store.ScanTime(&d.IntroducedAt), store.ScanTime(&d.UpdatedAt))
	return d, err
}

func (s *Service) dockingByID(ctx context.Context, id int64) (Docking, error) {
	d, err := scanDocking(s.DB.QueryRow(ctx, "SELECT "+dockingColumns+dockingFrom+" WHERE d.id = ?", id))
	if err != nil {
		return Docking{}, notFound(err, "docking")
	}
	rows, err := s.DB.Query(ctx, "SELECT stage, note, actor, at FROM tech_docking_steps WHERE docking_id = ? ORDER BY id", id)
	if err != nil {
		return Docking{}, err
	}
	defer rows.Close()
	for rows.Next() {
		var st Step
		if err := rows.Scan(&st.Stage, &st.Note, &st.Actor, store.ScanTime(&st.At)); err != nil {
			return Docking{}, err
		}
		d.Steps = append(d.Steps, st)
	}
	return d, rows.Err()
}

func (s *Service) visibleDocking(ctx context.Context, actor auth.Principal, id int64) (Docking, error) {
	d, err := s.dockingByID(ctx, id)
	if err != nil {
		return Docking{}, err
	}
	if !auth.Allowed(actor, auth.ViewDockings, auth.Enterprise(d.EnterpriseID, d.ParkID)) {
		return Docking{}, apperr.Errorf(apperr.NotFound, "no such docking")
	}
	return d, nil
}

// Docking returns one docking with its steps.
func (s *Service) Docking(ctx context.Context, actor auth.Principal, id int64) (Docking, error) {
	return s.visibleDocking(ctx, actor, id)
}

// DockingFilter narrows the dockings' list.
type DockingFilter struct {
	EnterpriseID int64
	EventID      int64
	Stage        Stage
	Limit        int
	Offset       int
}

// Dockings returns the dockings the actor may see, latest first, and how
// many.
func (s *Service) Dockings(ctx context.Context, actor auth.Principal, f DockingFilter) ([]Docking, int, error) {
	scope := auth.Scope(actor, auth.ViewDockings, auth.Columns{Enterprise: "d.enterprise_id"})
	where := " WHERE " + scope.SQL
	args := append([]any{}, scope.Args...)
	if f.EnterpriseID != 0 {
		where += " AND d.enterprise_id = ?"
		args = append(args, f.EnterpriseID)
	}
	if f.EventID != 0 {
		where += " AND d.event_id = ?"
		args = append(args, f.EventID)
	}
	if f.Stage != "" {
		where += " AND d.stage = ?"
		args = append(args, string(f.Stage))
	}
	if f.Limit <= 0 || f.Limit > 200 {
		f.Limit = 50
	}
	var total int
	if err := s.DB.QueryRow(ctx, "SELECT COUNT(*) FROM tech_dockings d"+where, args...).Scan(&total); err != nil {
		return nil, 0, err
	}
	rows, err := s.DB.Query(ctx, "SELECT "+dockingColumns+dockingFrom+where+" ORDER BY d.updated_at DESC, d.id DESC LIMIT ? OFFSET ?",
		append(args, f.Limit, f.Offset)...)
	if err != nil {
		return nil, 0, err
	}
	defer rows.Close()
	out := []Docking{}
	for rows.Next() {
		d, err := scanDocking(rows)
		if err != nil {
			return nil, 0, err
		}
		out = append(out, d)
	}
	return out, total, rows.Err()
}
