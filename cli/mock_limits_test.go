package cli

import (
	"bufio"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"golang.org/x/net/netutil"
)

// serveLimited serves h with the mock's limits on a loopback port.
func serveLimited(t *testing.T, l serverLimits, h http.Handler) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv := l.server(h)
	go func() { _ = srv.Serve(netutil.LimitListener(ln, l.maxConns)) }()
	t.Cleanup(func() { _ = srv.Close() })
	return ln.Addr().String()
}

// closedWithin waits for the server to close conn, reading whatever it
// sends; it fails when the connection is still open after limit.
func closedWithin(t *testing.T, conn net.Conn, limit time.Duration, what string) {
	t.Helper()
	_ = conn.SetReadDeadline(time.Now().Add(limit))
	_, err := io.Copy(io.Discard, conn)
	if ne, ok := err.(net.Error); ok && ne.Timeout() {
		t.Fatalf("%s: the connection is still open after %s", what, limit)
	}
}

// TestMockServerLimits: a body sent a byte at a time and an idle
// keep-alive connection are closed by the server, and no more than
// --max-connections are served at once. The limits are short here and the
// waits long, so a loaded machine still passes.
func TestMockServerLimits(t *testing.T) {
	ok := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body)
		fmt.Fprint(w, "ok")
	})
	addr := serveLimited(t, serverLimits{read: 300 * time.Millisecond, write: 5 * time.Second, idle: 300 * time.Millisecond, maxConns: 2}, ok)

	slow, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer slow.Close()
	fmt.Fprintf(slow, "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 1000\r\n\r\n")
	go func() {
		for i := 0; i < 100; i++ {
			if _, err := slow.Write([]byte("a")); err != nil {
				return
			}
			time.Sleep(200 * time.Millisecond)
		}
	}()
	closedWithin(t, slow, 15*time.Second, "a body sent a byte every 200ms")

	idle, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer idle.Close()
	fmt.Fprintf(idle, "GET / HTTP/1.1\r\nHost: x\r\n\r\n")
	resp, err := http.ReadResponse(bufio.NewReader(idle), nil)
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("a keep-alive request: %v", err)
	}
	resp.Body.Close()
	closedWithin(t, idle, 15*time.Second, "an idle keep-alive connection")

	// Two connections held open: a third is not served until one goes.
	// (Another server, whose read timeout cannot free them meanwhile.)
	addr = serveLimited(t, serverLimits{read: time.Minute, write: time.Minute, idle: time.Minute, maxConns: 2}, ok)
	var held []net.Conn
	for i := 0; i < 2; i++ {
		c, err := net.Dial("tcp", addr)
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
		fmt.Fprintf(c, "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\n\r\n")
		held = append(held, c)
	}
	time.Sleep(100 * time.Millisecond) // let the server accept both
	third, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer third.Close()
	fmt.Fprintf(third, "GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
	_ = third.SetReadDeadline(time.Now().Add(100 * time.Millisecond))
	if n, _ := third.Read(make([]byte, 1)); n > 0 {
		t.Fatal("a third connection was served while --max-connections 2 were busy")
	}
	for _, c := range held {
		c.Close()
	}
	_ = third.SetReadDeadline(time.Now().Add(15 * time.Second))
	line, err := bufio.NewReader(third).ReadString('\n')
	if err != nil || !strings.Contains(line, "200") {
		t.Fatalf("the third connection once the others closed: %q %v", line, err)
	}
}
