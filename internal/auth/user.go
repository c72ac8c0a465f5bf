package auth

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/parkdesk/parkdesk/internal/apperr"
	"github.com/parkdesk/parkdesk/internal/store"
)

// User is an account. The password hash never leaves the package.
type User struct {
	ID           int64     `json:"id"`
	Login        string    `json:"login"`
	DisplayName  string    `json:"display_name"`
	Role         Role      `json:"role"`
	Department   string    `json:"department,omitempty"`    // code, for department users
	EnterpriseID int64     `json:"enterprise_id,omitempty"` // for liaisons
	ParkID       int64     `json:"park_id,omitempty"`       // 0: every park
	Phone        string    `json:"phone,omitempty"`         // a work phone, shown to the liaisons a commissioner serves
	Disabled     bool      `json:"disabled"`
	HasPassword  bool      `json:"has_password"` // false until an invitation is accepted
	CreatedAt    time.Time `json:"created_at"`
	UpdatedAt    time.Time `json:"updated_at"`
}

// UserSpec is what an admin gives to create or change a user.
type UserSpec struct {
	Login        string
	DisplayName  string
	Role         Role
	Department   string
	EnterpriseID int64
	ParkID       int64
	Phone        string
	// Password, when not empty on creation, is set at once (the command
	// line's first admin); otherwise the user gets an invitation link.
	Password string
}

// validate normalises the spec and returns the problems with it.
func (u *UserSpec) validate() []apperr.Problem {
	var problems []apperr.Problem
	add := func(field, reason string) {
		problems = append(problems, apperr.Problem{Field: field, Reason: reason})
	}
	u.Login = NormalizeLogin(u.Login)
	if p := loginProblem(u.Login); p != "" {
		add("login", p)
	}
	u.DisplayName = strings.TrimSpace(u.DisplayName)
	if u.DisplayName == "" {
		u.DisplayName = u.Login
	}
	if len(u.DisplayName) > 200 {
		add("display_name", "must be at most 200 bytes long")
	}
	if _, err := ParseRole(string(u.Role)); err != nil {
		add("role", err.Error())
	}
	u.Department = strings.TrimSpace(u.Department)
	if u.Role == RoleDepartment && u.Department == "" {
		add("department", "a department user needs a department")
	}
	if u.Role == RoleEnterprise && u.EnterpriseID <= 0 {
		add("enterprise", "an enterprise liaison needs an enterprise")
	}
	if u.Role != RoleEnterprise && u.EnterpriseID != 0 {
		add("enterprise", "only an enterprise liaison has an enterprise")
	}
	if u.ParkID < 0 {
		add("park", "is not a park")
	}
	u.Phone = strings.TrimSpace(u.Phone)
	if len(u.Phone) > 40 {
		add("phone", "must be at most 40 bytes long")
	}
	return problems
}

// userView is what the audit log keeps of a user: no password hash.
func (u User) auditView() map[string]any {
	return map[string]any{
		"login": u.Login, "display_name": u.DisplayName, "role": u.Role, "department": u.Department,
		"enterprise_id": u.EnterpriseID, "park_id": u.ParkID, "phone": u.Phone, "disabled": u.Disabled,
	}
}

// CreateUser adds an account. Without a password in the spec the account
// cannot sign in until its invitation link (IssueLink) is used.
func (s *Service) CreateUser(ctx context.Context, actor Principal, spec UserSpec) (User, error) {
	if err := Can(actor, ManageUsers, Resource{}); err != nil {
		return User{}, err
	}
	if problems := spec.validate(); len(problems) > 0 {
		return User{}, apperr.InvalidInput("the user is not valid", problems...)
	}
	hash := ""
	if spec.Password != "" {
		if err := CheckPasswordStrength(spec.Password, spec.Login); err != nil {
			return User{}, err
		}
		var err error
		if hash, err = s.Hasher.Hash(spec.Password); err != nil {
			return User{}, err
		}
	}
	now := s.now()
	u := User{
		Login: spec.Login, DisplayName: spec.DisplayName, Role: spec.Role, Department: spec.Department,
		EnterpriseID: spec.EnterpriseID, ParkID: spec.ParkID, Phone: spec.Phone, HasPassword: hash != "", CreatedAt: now, UpdatedAt: now,
	}
	err := s.DB.InTx(ctx, func(tx *store.Tx) error {
		if err := checkReferences(ctx, tx, spec); err != nil {
			return err
		}
		err := tx.QueryRow(ctx, `INSERT INTO users
	(login, display_name, role, department_code, enterprise_id, park_id, phone, password_hash, created_at, updated_at)
	VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
			u.Login, u.DisplayName, string(u.Role), nullString(u.Department), nullID(u.EnterpriseID), nullID(u.ParkID),
			u.Phone, hash, store.FormatTime(now), store.FormatTime(now)).Scan(&u.ID)
		if err != nil {
			return userWriteError(err, u.Login)
		}
		return Audit(ctx, tx, Entry{Actor: actor, Action: "user.create", ObjectType: "user",
			ObjectID: strconv.FormatInt(u.ID, 10), After: u.auditView(), At: now})
	})
	if err != nil {
		return User{}, err
	}
	return u, nil
}

// UpdateUser changes an account's name, role and scope (not its login or
// password). The change takes effect on the user's next request: sessions
// read the account afresh each time.
func (s *Service) UpdateUser(ctx context.Context, actor Principal, id int64, spec UserSpec) (User, error) {
	if err := Can(actor, ManageUsers, Resource{}); err != nil {
		return User{}, err
	}
	var after User
	err := s.DB.InTx(ctx, func(tx *store.Tx) error {
		before, err := userByID(ctx, tx, id)
		if err != nil {
			return err
		}
		spec.Login = before.Login
		if problems := spec.validate(); len(problems) > 0 {
			return apperr.InvalidInput("the user is not valid", problems...)
		}
		if err := checkReferences(ctx, tx, spec); err != nil {
			return err
		}
		now := s.now()
		after = before
		after.DisplayName, after.Role, after.Department = spec.DisplayName, spec.Role, spec.Department
		after.EnterpriseID, after.ParkID, after.Phone, after.UpdatedAt = spec.EnterpriseID, spec.ParkID, spec.Phone, now
		if _, err := tx.Exec(ctx, `UPDATE users SET display_name = ?, role = ?, department_code = ?, enterprise_id = ?,
	park_id = ?, phone = ?, updated_at = ? WHERE id = ?`,
			after.DisplayName, string(after.Role), nullString(after.Department), nullID(after.EnterpriseID),
			nullID(after.ParkID), after.Phone, store.FormatTime(now), id); err != nil {
			return userWriteError(err, after.Login)
		}
		return Audit(ctx, tx, Entry{Actor: actor, Action: "user.update", ObjectType: "user", ObjectID: strconv.FormatInt(id, 10),
			Before: before.auditView(), After: after.auditView(), At: now})
	})
	return after, err
}

// SetUserDisabled disables or enables an account. Disabling ends its
// sessions at once.
func (s *Service) SetUserDisabled(ctx context.Context, actor Principal, id int64, disabled bool) error {
	if err := Can(actor, ManageUsers, Resource{}); err != nil {
		return err
	}
	if disabled && actor.UserID == id {
		return apperr.Errorf(apperr.Conflict, "you cannot disable your own account")
	}
	return s.DB.InTx(ctx, func(tx *store.Tx) error {
		before, err := userByID(ctx, tx, id)
		if err != nil {
			return err
		}
		now := s.now()
		if _, err := tx.Exec(ctx, "UPDATE users SET disabled = ?, updated_at = ? WHERE id = ?", disabled, store.FormatTime(now), id); err != nil {
			return err
		}
		if disabled {
			if _, err := tx.Exec(ctx, "DELETE FROM sessions WHERE user_id = ?", id); err != nil {
				return err
			}
		}
		after := before
		after.Disabled = disabled
		action := "user.enable"
		if disabled {
			action = "user.disable"
		}
		return Audit(ctx, tx, Entry{Actor: actor, Action: action, ObjectType: "user", ObjectID: strconv.FormatInt(id, 10),
			Before: before.auditView(), After: after.auditView(), At: now})
	})
}

// User returns the account with the id.
func (s *Service) User(ctx context.Context, id int64) (User, error) {
	return userByID(ctx, s.DB, id)
}

// UserByLogin returns the account with the login (normalised first).
func (s *Service) UserByLogin(ctx context.Context, login string) (User, error) {
	u, _, err := userByLogin(ctx, s.DB, NormalizeLogin(login))
	return u, err
}

// ListUsers returns every account, by login.
func (s *Service) ListUsers(ctx context.Context, actor Principal) ([]User, error) {
	if err := Can(actor, ManageUsers, Resource{}); err != nil {
		return nil, err
	}
	rows, err := s.DB.Query(ctx, "SELECT "+userColumns+" FROM users ORDER BY login")
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []User
	for rows.Next() {
		u, _, err := scanUser(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, u)
	}
	return out, rows.Err()
}

const userColumns = "id, login, display_name, role, department_code, enterprise_id, park_id, phone, disabled, password_hash, created_at, updated_at"

type scanner interface{ Scan(dest ...any) error }

// scanUser reads userColumns; the hash is returned apart so that it does
// not travel in User.
func scanUser(row scanner) (User, string, error) {
	var (
		u          User
		role, hash string
		dept       sql.NullString
		ent, park  sql.NullInt64
	)
	if err := row.Scan(&u.ID, &u.Login, &u.DisplayName, &role, &dept, &ent, &park, &u.Phone, &u.Disabled, &hash,
		store.ScanTime(&u.CreatedAt), store.ScanTime(&u.UpdatedAt)); err != nil {
		return User{}, "", err
	}
	u.Role, u.Department, u.EnterpriseID, u.ParkID = Role(role), dept.String, ent.Int64, park.Int64
	u.HasPassword = hash != ""
	return u, hash, nil
}

func userByID(ctx context.Context, q store.Queryer, id int64) (User, error) {
	u, _, err := scanUser(q.QueryRow(ctx, "SELECT "+userColumns+" FROM users WHERE id = ?", id))
	if errors.Is(err, store.ErrNotFound) {
		return User{}, apperr.Errorf(apperr.NotFound, "no user %d", id)
	}
	return u, err
}

func userByLogin(ctx context.Context, q store.Queryer, login string) (User, string, error) {
	u, hash, err := scanUser(q.QueryRow(ctx, "SELECT "+userColumns+" FROM users WHERE login = ?", login))
	if errors.Is(err, store.ErrNotFound) {
		return User{}, "", apperr.Errorf(apperr.NotFound, "no user %q", login)
	}
	return u, hash, err
}

// checkReferences names the department, enterprise or park of spec that
// does not exist, so that the admin reads which rather than a foreign key.
func checkReferences(ctx context.Context, q store.Queryer, spec UserSpec) error {
	var problems []apperr.Problem
	check := func(field, query string, arg any) error {
		var n int
		if err := q.QueryRow(ctx, query, arg).Scan(&n); err != nil {
			return err
		}
		if n == 0 {
			problems = append(problems, apperr.Problem{Field: field, Reason: fmt.Sprintf("%v does not exist", arg)})
		}
		return nil
	}
	if spec.Department != "" {
		if err := check("department", "SELECT COUNT(*) FROM departments WHERE code = ?", spec.Department); err != nil {
			return err
		}
	}
	if spec.EnterpriseID != 0 {
		if err := check("enterprise", "SELECT COUNT(*) FROM enterprises WHERE id = ?", spec.EnterpriseID); err != nil {
			return err
		}
	}
	if spec.ParkID != 0 {
		if err := check("park", "SELECT COUNT(*) FROM parks WHERE id = ?", spec.ParkID); err != nil {
			return err
		}
	}
	if len(problems) > 0 {
		return apperr.InvalidInput("the user is not valid", problems...)
	}
	return nil
}

// userWriteError turns constraint violations into messages for the admin.
func userWriteError(err error, login string) error {
	switch {
	case errors.Is(err, store.ErrConflict):
		return apperr.Errorf(apperr.Conflict, "a user with the login %q exists", login)
	case errors.Is(err, store.ErrReferenced):
		return apperr.InvalidInput("the user is not valid",
			apperr.Problem{Field: "department, enterprise or park", Reason: "does not exist"})
	case errors.Is(err, store.ErrCheck):
		return apperr.InvalidInput("the user is not valid", apperr.Problem{Reason: "the role does not fit its department or enterprise"})
	}
	return fmt.Errorf("auth: write user %s: %w", login, err)
}

func nullString(s string) sql.NullString {
	return sql.NullString{String: s, Valid: s != ""}
}
