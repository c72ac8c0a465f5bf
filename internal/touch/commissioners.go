package touch

import (
	"context"
	"fmt"

	"github.com/parkdesk/parkdesk/internal/apperr"
	"github.com/parkdesk/parkdesk/internal/auth"
)

// Commissioner is a commissioner who looks after an enterprise, as its
// liaison and the staff reach them.
type Commissioner struct {
	UserID int64
	Name   string
	Phone  string
}

// CommissionersOf returns the commissioners of an enterprise, for whoever
// may see the enterprise (its liaison included: one contact, one-stop).
func (s *Service) CommissionersOf(ctx context.Context, actor auth.Principal, enterpriseID int64) ([]Commissioner, error) {
	res, err := auth.EnterpriseResource(ctx, s.DB, enterpriseID)
	if err != nil {
		return nil, notFoundAs(err, "no such enterprise")
	}
	if err := auth.Can(actor, auth.ViewEnterprise, res); err != nil {
		if apperr.CodeOf(err) == apperr.Unauthorized {
			return nil, err
		}
		return nil, apperr.Errorf(apperr.NotFound, "no such enterprise")
	}
	rows, err := s.DB.Query(ctx, `SELECT u.id, u.display_name, u.phone FROM commissioner_enterprises c JOIN users u ON u.id = c.user_id
WHERE c.enterprise_id = ? AND NOT u.disabled ORDER BY c.assigned_at, u.id`, enterpriseID)
	if err != nil {
		return nil, fmt.Errorf("touch: the commissioners of %d: %w", enterpriseID, err)
	}
	defer rows.Close()
	var out []Commissioner
	for rows.Next() {
		var c Commissioner
		if err := rows.Scan(&c.UserID, &c.Name, &c.Phone); err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, rows.Err()
}
