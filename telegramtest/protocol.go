package telegramtest

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"net/url"
	"strconv"
	"strings"
)

// maxUploadMemory is how much of a multipart body is kept in memory; the
// rest goes to temporary files.
const maxUploadMemory = 32 << 20

// handler serves one Bot API method.
type handler func(s *Server, r *apiRequest) (any, *apiError)

// methodSpec names a Bot API method and its handler.
type methodSpec struct {
	name   string
	handle handler
}

// methods maps lower-cased method names to their specs: Telegram matches
// method names case-insensitively.
var methods = indexMethods([]methodSpec{
	{"getMe", (*Server).handleGetMe},
	{"getUpdates", (*Server).handleGetUpdates},
	{"setWebhook", (*Server).handleSetWebhook},
	{"deleteWebhook", (*Server).handleDeleteWebhook},
	{"getWebhookInfo", (*Server).handleGetWebhookInfo},
	{"sendMessage", (*Server).handleSendMessage},
	{"editMessageText", (*Server).handleEditMessageText},
	{"editMessageReplyMarkup", (*Server).handleEditMessageReplyMarkup},
	{"deleteMessage", (*Server).handleDeleteMessage},
	{"answerCallbackQuery", (*Server).handleAnswerCallbackQuery},
	{"getChat", (*Server).handleGetChat},
	{"getChatMember", (*Server).handleGetChatMember},
	{"getChatAdministrators", (*Server).handleGetChatAdministrators},
	{"setMyCommands", (*Server).handleSetMyCommands},
	{"getMyCommands", (*Server).handleGetMyCommands},
	{"deleteMyCommands", (*Server).handleDeleteMyCommands},
	{"sendDocument", (*Server).handleSendDocument},
	{"sendPhoto", (*Server).handleSendPhoto},
	{"getFile", (*Server).handleGetFile},
})

// indexMethods builds the lookup table of methods.
func indexMethods(specs []methodSpec) map[string]methodSpec {
	m := make(map[string]methodSpec, len(specs))
	for _, spec := range specs {
		m[strings.ToLower(spec.name)] = spec
	}
	return m
}

// apiError is a refused call: an HTTP status equal to error_code, a
// description and optional response parameters; or, when frontEnd, the
// HTML page with which Telegram's front end (nginx) answers a call it
// could not pass to the Bot API, titled with the status and description.
type apiError struct {
	code        int
	description string
	retryAfter  int
	migrateTo   int64
	frontEnd    bool
}

// badRequest returns a 400 error whose description is "Bad Request: " and
// the formatted reason.
func badRequest(format string, args ...any) *apiError {
	return &apiError{code: http.StatusBadRequest, description: "Bad Request: " + fmt.Sprintf(format, args...)}
}

// forbidden returns a 403 error whose description is "Forbidden: " and the
// reason.
func forbidden(reason string) *apiError {
	return &apiError{code: http.StatusForbidden, description: "Forbidden: " + reason}
}

// conflict returns a 409 error whose description is "Conflict: " and the
// reason.
func conflict(reason string) *apiError {
	return &apiError{code: http.StatusConflict, description: "Conflict: " + reason}
}

var (
	errUnauthorized = &apiError{code: http.StatusUnauthorized, description: "Unauthorized"}
	errNotFound     = &apiError{code: http.StatusNotFound, description: "Not Found"}
	errInternal     = &apiError{code: http.StatusInternalServerError, description: "Internal Server Error"}
)

// responseParameters mirrors tgbotapi.ResponseParameters.
type responseParameters struct {
	MigrateToChatID int64 `json:"migrate_to_chat_id,omitempty"`
	RetryAfter      int   `json:"retry_after,omitempty"`
}

// envelope is the JSON object every Bot API answer is wrapped in.
type envelope struct {
	OK          bool                `json:"ok"`
	Result      any                 `json:"result,omitempty"`
	ErrorCode   int                 `json:"error_code,omitempty"`
	Description string              `json:"description,omitempty"`
	Parameters  *responseParameters `json:"parameters,omitempty"`
}

// writeResult writes a successful answer.
func writeResult(w http.ResponseWriter, result any) {
	writeEnvelope(w, http.StatusOK, envelope{OK: true, Result: result})
}

// writeError writes a refused call.
func writeError(w http.ResponseWriter, e *apiError) {
	if e.frontEnd {
		writeFrontEndPage(w, e)
		return
	}
	env := envelope{ErrorCode: e.code, Description: e.description}
	if e.retryAfter != 0 || e.migrateTo != 0 {
		env.Parameters = &responseParameters{MigrateToChatID: e.migrateTo, RetryAfter: e.retryAfter}
	}
	writeEnvelope(w, e.code, env)
}

// writeFrontEndPage writes e as nginx's error page, as Telegram's front
// end answers when the Bot API behind it is down: "502 Bad Gateway" and
// the like, as HTML.
func writeFrontEndPage(w http.ResponseWriter, e *apiError) {
	w.Header().Set("Content-Type", "text/html")
	w.WriteHeader(e.code)
	_, _ = fmt.Fprintf(w, "<html>\r\n<head><title>%[1]s</title></head>\r\n<body>\r\n<center><h1>%[1]s</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n", e.description)
}

// writeEnvelope writes env as JSON with the given HTTP status.
func writeEnvelope(w http.ResponseWriter, status int, env envelope) {
	body, err := json.Marshal(env)
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_, _ = w.Write(body)
}

// upload is a file sent in a multipart request.
type upload struct {
	name        string
	contentType string
	data        []byte
}

// apiRequest is a parsed Bot API call.
type apiRequest struct {
	ctx    context.Context
	params url.Values
	files  map[string]upload
}

// parseParams collects the parameters of r like Telegram does: from the
// query string and from a form-encoded, multipart or JSON body, the body
// taking precedence.
func parseParams(r *http.Request) (url.Values, map[string]upload, *apiError) {
	params := r.URL.Query()
	files := map[string]upload{}
	mediaType, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	switch mediaType {
	case "application/x-www-form-urlencoded":
		if err := r.ParseForm(); err != nil {
			return params, files, badRequest("can't parse form: %v", err)
		}
		for k, vs := range r.PostForm {
			params[k] = vs
		}
	case "multipart/form-data":
		if err := r.ParseMultipartForm(maxUploadMemory); err != nil {
			return params, files, badRequest("can't parse multipart form: %v", err)
		}
		defer func() { _ = r.MultipartForm.RemoveAll() }()
		for k, vs := range r.MultipartForm.Value {
			params[k] = vs
		}
		for field, headers := range r.MultipartForm.File {
			if len(headers) == 0 {
				continue
			}
			up, err := readUpload(headers[0])
			if err != nil {
				return params, files, badRequest("can't read uploaded file: %v", err)
			}
			files[field] = up
		}
	case "application/json":
		if err := parseJSONParams(r.Body, params); err != nil {
			return params, files, badRequest("can't parse JSON body: %v", err)
		}
	}
	return params, files, nil
}

// readUpload reads an uploaded file completely.
func readUpload(h *multipart.FileHeader) (upload, error) {
	f, err := h.Open()
	if err != nil {
		return upload{}, err
	}
	defer f.Close()
	data, err := io.ReadAll(f)
	if err != nil {
		return upload{}, err
	}
	return upload{name: h.Filename, contentType: h.Header.Get("Content-Type"), data: data}, nil
}

// parseJSONParams adds the members of a JSON object body to params: strings
// as they are, every other value as its compact JSON text.
func parseJSONParams(body io.Reader, params url.Values) error {
	var obj map[string]json.RawMessage
	if err := json.NewDecoder(body).Decode(&obj); err != nil && !errors.Is(err, io.EOF) {
		return err
	}
	for k, raw := range obj {
		var s string
		if err := json.Unmarshal(raw, &s); err == nil {
			params.Set(k, s)
			continue
		}
		if string(raw) == "null" {
			continue
		}
		var buf bytes.Buffer
		if err := json.Compact(&buf, raw); err != nil {
			return err
		}
		params.Set(k, buf.String())
	}
	return nil
}

// str returns the parameter key, or "" when absent.
func (r *apiRequest) str(key string) string { return r.params.Get(key) }

// flag reports whether the boolean parameter key is true.
func (r *apiRequest) flag(key string) bool {
	v, err := strconv.ParseBool(r.params.Get(key))
	return err == nil && v
}

// integer returns the integer parameter key, def when it is absent, and
// missing as the error when it is present but not an integer.
func (r *apiRequest) integer(key string, def int64, missing *apiError) (int64, *apiError) {
	v := r.params.Get(key)
	if v == "" {
		return def, nil
	}
	n, err := strconv.ParseInt(v, 10, 64)
	if err != nil {
		return 0, missing
	}
	return n, nil
}

// chatID returns the chat_id parameter. Chat usernames ("@name") are not
// supported: no fake chat has one.
func (r *apiRequest) chatID() (int64, *apiError) {
	v := r.params.Get("chat_id")
	if v == "" {
		return 0, badRequest("chat_id is empty")
	}
	id, err := strconv.ParseInt(v, 10, 64)
	if err != nil {
		return 0, badRequest("chat not found")
	}
	return id, nil
}

// messageID returns the message_id parameter, which must be present.
func (r *apiRequest) messageID() (int, *apiError) {
	if r.params.Get("inline_message_id") != "" {
		return 0, badRequest("telegramtest does not support inline messages")
	}
	invalid := badRequest("message identifier is not specified")
	id, err := r.integer("message_id", 0, invalid)
	if err != nil {
		return 0, err
	}
	if id <= 0 {
		return 0, invalid
	}
	return int(id), nil
}
