package thidua

import "errors"

// Error is a domain error with a stable code. Handlers translate the code into
// a message in the user's language; the English text is for logs only.
type Error struct {
	Code string
	Msg  string
}

func (e *Error) Error() string { return e.Msg }

// Is reports whether target is a domain error with the same code, so that
// errors.Is(err, ErrForbidden) works on wrapped errors.
func (e *Error) Is(target error) bool {
	t, ok := target.(*Error)
	return ok && t.Code == e.Code
}

func newErr(code, msg string) *Error { return &Error{Code: code, Msg: msg} }

// Domain errors. Operations return them (possibly wrapped); compare with errors.Is.
var (
	ErrForbidden         = newErr("forbidden", "not allowed")
	ErrUnitNotFound      = newErr("unit_not_found", "unit not found")
	ErrUnitExists        = newErr("unit_exists", "a unit with this name already exists")
	ErrInvalidName       = newErr("invalid_name", "name is empty, too long or without a letter")
	ErrTooManyUnits      = newErr("too_many_units", "too many units")
	ErrNotRepresentative = newErr("not_representative", "the user represents no unit")
	ErrAlreadyMember     = newErr("already_member", "the user already represents a unit")
	ErrRequestNotFound   = newErr("request_not_found", "join request not found or already decided")
	ErrRollFrozen        = newErr("roll_frozen", "units cannot be removed while an election is open")
	// ErrUnchanged refuses a change that would leave everything as it is
	// (the same scores or award proposal sent again): nothing is written
	// or recorded in the history.
	ErrUnchanged = newErr("unchanged", "the change leaves everything as it is")
	// ErrUnitNameBar refuses a unit's name holding a "|", which the
	// commands naming a unit put between their parts ("/return 2 | lý
	// do"): there a unit with one in its name could not be named by it.
	ErrUnitNameBar = newErr("unit_name_bar", "a unit's name cannot contain \"|\"")
)

// IsDomain reports whether err is (or wraps) a domain error, meaning the input
// or the actor was at fault rather than the infrastructure.
func IsDomain(err error) bool {
	var e *Error
	return errors.As(err, &e)
}
