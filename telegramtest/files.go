package telegramtest

import (
	"bytes"
	"fmt"
	"image"
	_ "image/gif"  // Photos may be GIF images.
	_ "image/jpeg" // Photos may be JPEG images.
	_ "image/png"  // Photos may be PNG images.
	"mime"
	"net/http"
	"path"
	"strings"
	"time"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"
)

// File kinds, and kindText for text messages, where a kind of content is
// meant (see Permissions).
const (
	kindDocument = "document"
	kindPhoto    = "photo"
	kindText     = "text"
)

// File is a document or photo held by the server.
type File struct {
	// ID is the file_id the bot can send again or pass to getFile.
	ID string
	// UniqueID is the file_unique_id.
	UniqueID string
	// Name is the file name of a document, empty for photos.
	Name string
	// MimeType is the MIME type of a document, empty for photos.
	MimeType string
	// Data is the content.
	Data []byte
	// Width is the width of a photo in pixels, when it could be decoded.
	Width int
	// Height is the height of a photo in pixels, when it could be decoded.
	Height int
}

// storedFile is a file and where getFile says it lives.
type storedFile struct {
	File
	kind string
	path string
}

// public returns a copy of f for a test.
func (f *storedFile) public() *File {
	out := f.File
	out.Data = bytes.Clone(f.Data)
	return &out
}

// apiDocument returns f as a Bot API Document.
func (f *storedFile) apiDocument() *tgbotapi.Document {
	return &tgbotapi.Document{
		FileID:       f.ID,
		FileUniqueID: f.UniqueID,
		FileName:     f.Name,
		MimeType:     f.MimeType,
		FileSize:     len(f.Data),
	}
}

// apiPhoto returns f as the sizes of a Bot API photo. The fake does not
// scale images, so there is one size, the original.
func (f *storedFile) apiPhoto() []tgbotapi.PhotoSize {
	return []tgbotapi.PhotoSize{{
		FileID:       f.ID,
		FileUniqueID: f.UniqueID,
		Width:        f.Width,
		Height:       f.Height,
		FileSize:     len(f.Data),
	}}
}

// fileStore holds every file, by file_id and by file_path.
type fileStore struct {
	seq    int
	byID   map[string]*storedFile
	byPath map[string]*storedFile
}

// newFileStore returns an empty store.
func newFileStore() fileStore {
	return fileStore{byID: map[string]*storedFile{}, byPath: map[string]*storedFile{}}
}

// add stores a new file of the given kind and returns it.
func (fs *fileStore) add(kind, name string, data []byte) *storedFile {
	fs.seq++
	f := &storedFile{kind: kind}
	f.Data = bytes.Clone(data)
	f.UniqueID = fmt.Sprintf("AgAD%06d%s", fs.seq, randomString(6))
	switch kind {
	case kindPhoto:
		f.ID = fmt.Sprintf("AgACAgIAAxkBAA%06d%s", fs.seq, randomString(20))
		ext := ".jpg"
		if cfg, format, err := image.DecodeConfig(bytes.NewReader(data)); err == nil {
			f.Width, f.Height = cfg.Width, cfg.Height
			ext = "." + strings.Replace(format, "jpeg", "jpg", 1)
		}
		f.path = fmt.Sprintf("photos/file_%d%s", fs.seq, ext)
	default:
		f.ID = fmt.Sprintf("BQACAgIAAxkBAA%06d%s", fs.seq, randomString(20))
		f.Name = name
		f.MimeType = mimeTypeOf(name)
		f.path = fmt.Sprintf("documents/file_%d%s", fs.seq, path.Ext(name))
	}
	fs.byID[f.ID] = f
	fs.byPath[f.path] = f
	return f
}

// mimeTypeOf guesses a MIME type from a file name, as Telegram does.
func mimeTypeOf(name string) string {
	if t := mime.TypeByExtension(path.Ext(name)); t != "" {
		if media, _, err := mime.ParseMediaType(t); err == nil {
			return media
		}
	}
	return "application/octet-stream"
}

// handleSendDocument serves sendDocument.
func (s *Server) handleSendDocument(r *apiRequest) (any, *apiError) {
	return s.sendMedia(r, kindDocument)
}

// handleSendPhoto serves sendPhoto.
func (s *Server) handleSendPhoto(r *apiRequest) (any, *apiError) {
	return s.sendMedia(r, kindPhoto)
}

// sendMedia serves sendDocument and sendPhoto: the file parameter named
// after kind is either an upload or the file_id of a file of that kind.
func (s *Server) sendMedia(r *apiRequest, kind string) (any, *apiError) {
	chatID, err := r.chatID()
	if err != nil {
		return nil, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	c, err := s.resolveChatLocked(chatID, true)
	if err != nil {
		return nil, err
	}
	if err := s.mayPostLocked(c, kind); err != nil {
		return nil, err
	}
	up, uploaded := r.files[kind]
	var existing *storedFile
	switch {
	case uploaded && len(up.data) == 0:
		return nil, badRequest("file must be non-empty")
	case uploaded && kind == kindPhoto:
		if _, _, err := image.DecodeConfig(bytes.NewReader(up.data)); err != nil {
			return nil, badRequest("IMAGE_PROCESS_FAILED")
		}
	case uploaded:
	case r.str(kind) == "":
		return nil, badRequest("there is no %s in the request", kind)
	default:
		f, ok := s.files.byID[r.str(kind)]
		if !ok {
			return nil, badRequest("wrong file identifier/HTTP URL specified")
		}
		if f.kind != kind {
			return nil, badRequest("type of file mismatch")
		}
		existing = f
	}
	caption, err := parseFormatted(r.str("caption"), r.str("parse_mode"), r.str("caption_entities"), captionText)
	if err != nil {
		return nil, err
	}
	markup, err := parseMarkup(r.str("reply_markup"), false)
	if err != nil {
		return nil, err
	}
	replyTo, thread, err := s.sendTargetsLocked(c, r)
	if err != nil {
		return nil, err
	}
	if err := s.limiter.admitLocked(c, time.Now()); err != nil {
		return nil, err
	}
	if existing == nil {
		existing = s.files.add(kind, up.name, up.data)
	}
	m := &message{from: s.bot, content: caption, markup: markup, replyTo: replyTo, thread: thread}
	if kind == kindPhoto {
		m.photo = existing
	} else {
		m.document = existing
	}
	c.add(m)
	s.lostLocked("send"+strings.ToUpper(kind[:1])+kind[1:], c, m)
	s.notifyLocked()
	return c.apiMessage(m, true), nil
}

// handleGetFile serves getFile.
func (s *Server) handleGetFile(r *apiRequest) (any, *apiError) {
	s.mu.Lock()
	defer s.mu.Unlock()
	f, ok := s.files.byID[r.str("file_id")]
	if !ok {
		return nil, badRequest("invalid file_id")
	}
	return tgbotapi.File{FileID: f.ID, FileUniqueID: f.UniqueID, FileSize: len(f.Data), FilePath: f.path}, nil
}

// serveFile answers file downloads, "/file/bot<token>/<file_path>".
func (s *Server) serveFile(w http.ResponseWriter, r *http.Request, rest string) {
	token, filePath, _ := strings.Cut(rest, "/")
	if token != s.token {
		writeError(w, errUnauthorized)
		return
	}
	s.mu.Lock()
	f, ok := s.files.byPath[filePath]
	s.mu.Unlock()
	if !ok {
		writeError(w, errNotFound)
		return
	}
	contentType := f.MimeType
	if contentType == "" {
		contentType = "application/octet-stream"
	}
	w.Header().Set("Content-Type", contentType)
	_, _ = w.Write(f.Data)
}
