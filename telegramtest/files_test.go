package telegramtest_test

import (
	"bytes"
	"errors"
	"fmt"
	"image"
	"image/png"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"
)

func TestSendDocumentUpload(t *testing.T) {
	srv := newServer(t)
	bot := newBot(t, srv)
	g := srv.NewGroup("Team")
	data := []byte("name,score\nLan,10\n")

	doc := tgbotapi.NewDocument(g.ID, tgbotapi.FileBytes{Name: "report.csv", Bytes: data})
	doc.Caption = "<b>Báo cáo</b> tuần"
	doc.ParseMode = tgbotapi.ModeHTML
	sent, err := bot.Send(doc)
	if err != nil {
		t.Fatal(err)
	}
	if sent.Document == nil || sent.Document.FileName != "report.csv" || sent.Document.FileSize != len(data) ||
		sent.Document.MimeType != "text/csv" || sent.Caption != "Báo cáo tuần" || len(sent.CaptionEntities) != 1 {
		t.Fatalf("sent = %+v, document %+v", sent, sent.Document)
	}
	got, _ := srv.LastMessage(g.ID)
	if got.Document == nil || !bytes.Equal(got.Document.Data, data) || got.Document.Name != "report.csv" || got.Text != "Báo cáo tuần" {
		t.Errorf("recorded message = %+v", got)
	}

	// The file id can be sent again, and downloaded.
	again, err := bot.Send(tgbotapi.NewDocument(g.ID, tgbotapi.FileID(sent.Document.FileID)))
	if err != nil || again.Document.FileID != sent.Document.FileID {
		t.Fatalf("resend by file_id = %+v, %v", again.Document, err)
	}
	file, err := bot.GetFile(tgbotapi.FileConfig{FileID: sent.Document.FileID})
	if err != nil || file.FilePath == "" {
		t.Fatalf("getFile = %+v, %v", file, err)
	}
	if body := download(t, fmt.Sprintf(srv.FileEndpoint(), srv.Token(), file.FilePath)); !bytes.Equal(body, data) {
		t.Errorf("downloaded %q, want %q", body, data)
	}

	_, err = bot.Send(tgbotapi.NewDocument(g.ID, tgbotapi.FileID("nope")))
	if err == nil || err.Error() != "Bad Request: wrong file identifier/HTTP URL specified" {
		t.Errorf("unknown file id: err = %v", err)
	}
	long := tgbotapi.NewDocument(g.ID, tgbotapi.FileBytes{Name: "a.txt", Bytes: []byte("a")})
	long.Caption = strings.Repeat("c", 1025)
	if _, err := bot.Send(long); err == nil || err.Error() != "Bad Request: message caption is too long" {
		t.Errorf("1025-character caption: err = %v", err)
	}
	mustFail(t, srv, "getFile", url.Values{"file_id": {"nope"}}, http.StatusBadRequest, "Bad Request: invalid file_id")
}

func TestSendPhoto(t *testing.T) {
	srv := newServer(t)
	bot := newBot(t, srv)
	u := srv.NewUser("Lan", "")
	var img bytes.Buffer
	if err := png.Encode(&img, image.NewRGBA(image.Rect(0, 0, 40, 30))); err != nil {
		t.Fatal(err)
	}
	sent, err := bot.Send(tgbotapi.NewPhoto(u.ID, tgbotapi.FileBytes{Name: "chart.png", Bytes: img.Bytes()}))
	if err != nil {
		t.Fatal(err)
	}
	if len(sent.Photo) == 0 || sent.Photo[0].Width != 40 || sent.Photo[0].Height != 30 {
		t.Fatalf("photo = %+v", sent.Photo)
	}
	if got, _ := srv.LastMessage(u.ID); got.Photo == nil || !bytes.Equal(got.Photo.Data, img.Bytes()) {
		t.Errorf("recorded photo = %+v", got.Photo)
	}
	_, err = bot.Send(tgbotapi.NewPhoto(u.ID, tgbotapi.FileBytes{Name: "x.png", Bytes: []byte("not an image")}))
	if err == nil || err.Error() != "Bad Request: IMAGE_PROCESS_FAILED" {
		t.Errorf("undecodable photo: err = %v", err)
	}
	// A photo's file id cannot be sent as a document.
	_, err = bot.Send(tgbotapi.NewDocument(u.ID, tgbotapi.FileID(sent.Photo[0].FileID)))
	var apiErr *tgbotapi.Error
	if !errors.As(err, &apiErr) || apiErr.Message != "Bad Request: type of file mismatch" {
		t.Errorf("photo id as document: err = %v", err)
	}
}

func TestUserSendsFiles(t *testing.T) {
	srv := newServer(t)
	bot := newBot(t, srv)
	g := srv.NewGroup("Team")
	lan := srv.NewUser("Lan", "lan_tw")
	first := srv.Send(g, lan, "here it comes")
	upd := srv.SendDocument(g, lan, first.Message, "scores.xlsx", []byte("PK\x03\x04"), "/import")
	srv.SendPhoto(g, lan, nil, []byte("jpeg?"), "")

	updates := getUpdates(t, srv, url.Values{"offset": {itoa(upd.ID)}})
	if len(updates) != 2 {
		t.Fatalf("got %d updates, want 2", len(updates))
	}
	m := updates[0].Message
	if m.Document == nil || m.Document.FileName != "scores.xlsx" || m.Caption != "/import" ||
		m.ReplyToMessage == nil || m.ReplyToMessage.MessageID != first.Message.ID || len(m.CaptionEntities) != 1 {
		t.Fatalf("document message = %+v", m)
	}
	if len(updates[1].Message.Photo) != 1 {
		t.Errorf("photo message = %+v", updates[1].Message)
	}
	link, err := bot.GetFileDirectURL(m.Document.FileID)
	if err != nil {
		t.Fatal(err)
	}
	// tgbotapi builds links to api.telegram.org; the test rebases them.
	path := link[strings.Index(link, "/file/bot"):]
	if body := download(t, srv.URL()+path); string(body) != "PK\x03\x04" {
		t.Errorf("downloaded %q", body)
	}
	status, _ := callURL(t, fmt.Sprintf(srv.FileEndpoint(), srv.Token(), "documents/none"), nil)
	if status != http.StatusNotFound {
		t.Errorf("download of a missing file = %d, want 404", status)
	}
}

// download fetches u and returns its body.
func download(t *testing.T, u string) []byte {
	t.Helper()
	resp, err := http.Get(u)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET %s = %d", u, resp.StatusCode)
	}
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return body
}
