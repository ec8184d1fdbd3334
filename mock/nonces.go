package mock

import (
	"bufio"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/acsconform/acsconform/acs"
)

// nonceFile is the signature-nonce memory of a mock with a state file: an
// acs.NonceCache whose entries are also appended to "<state>.nonces", so a
// request captured before a restart cannot be replayed after it. Lines are
// "<unix nanoseconds> <sha256 of access key ID/nonce, 32 hex>"; only hashes
// are written. The file is not fsync'ed per request (a nonce outlives a
// killed process through the page cache, not a power cut), and it is
// rewritten from the live entries when it grows past rewriteAfter lines.
type nonceFile struct {
	cache  *acs.NonceCache
	window time.Duration
	now    func() time.Time

	mu       sync.Mutex
	path     string
	f        *os.File
	appended int
	failed   error // the last write error, reported once
	logf     func(format string, args ...any)
}

const nonceRewriteAfter = 100000

func nonceKey(key string) string {
	sum := sha256.Sum256([]byte(key))
	return hex.EncodeToString(sum[:16])
}

// openNonceFile loads the nonces of the last 2×window from path and
// rewrites the file with only those.
func openNonceFile(path string, window time.Duration, now func() time.Time, logf func(string, ...any)) (*nonceFile, []string, error) {
	if now == nil {
		now = time.Now
	}
	n := &nonceFile{cache: acs.NewNonceCache(), window: window, now: now, path: path, logf: logf}
	var warnings []string
	if fi, err := os.Stat(path); err == nil && !fi.Mode().IsRegular() {
		return nil, nil, fmt.Errorf("mock: nonce file %s is not a regular file (%s)", path, kind(fi.Mode()))
	}
	if f, err := os.Open(path); err == nil {
		sc := bufio.NewScanner(f)
		bad := 0
		for line := 1; sc.Scan(); line++ {
			ts, key, ok := strings.Cut(sc.Text(), " ")
			ns, err := strconv.ParseInt(ts, 10, 64)
			if !ok || err != nil || len(key) != 32 {
				bad++
				continue
			}
			n.cache.Restore(key, time.Unix(0, ns))
		}
		f.Close()
		if bad > 0 {
			warnings = append(warnings, fmt.Sprintf("nonce file %s: ignored %d unreadable line(s); nonces on them could be replayed until their timestamps expire (%s)", path, bad, window))
		}
	} else if !errors.Is(err, os.ErrNotExist) {
		return nil, nil, fmt.Errorf("mock: nonce file: %w", err)
	}
	if err := n.rewrite(); err != nil {
		return nil, nil, err
	}
	return n, warnings, nil
}

// Add implements acs.NonceStore.
func (n *nonceFile) Add(key string, now time.Time, window time.Duration) bool {
	h := nonceKey(key)
	if !n.cache.Add(h, now, window) {
		return false
	}
	n.mu.Lock()
	defer n.mu.Unlock()
	if _, err := fmt.Fprintf(n.f, "%d %s\n", now.UnixNano(), h); err != nil {
		if n.failed == nil && n.logf != nil {
			n.logf("mock: nonce file %s: %v (nonces are still refused until this mock stops, but a restart forgets the ones not written)", n.path, err)
		}
		n.failed = err
		return true
	}
	n.failed = nil
	if n.appended++; n.appended >= nonceRewriteAfter {
		if err := n.rewrite(); err != nil && n.logf != nil {
			n.logf("mock: %v", err)
		}
	}
	return true
}

// rewrite replaces the file by the live entries (new file, then rename);
// the caller holds n.mu or owns n alone.
func (n *nonceFile) rewrite() error {
	tmp := n.path + ".tmp"
	f, err := os.OpenFile(tmp, os.O_RDWR|os.O_CREATE|os.O_TRUNC, 0o600)
	if err != nil {
		return fmt.Errorf("mock: nonce file: %w", err)
	}
	w := bufio.NewWriter(f)
	n.cache.Live(n.now(), n.window, func(key string, at time.Time) {
		fmt.Fprintf(w, "%d %s\n", at.UnixNano(), key)
	})
	err = w.Flush()
	if err == nil {
		err = f.Sync()
	}
	if err == nil {
		err = os.Rename(tmp, n.path)
	}
	if err != nil {
		f.Close()
		_ = os.Remove(tmp)
		return fmt.Errorf("mock: nonce file %s: %w", n.path, err)
	}
	if d, derr := os.Open(filepath.Dir(n.path)); derr == nil {
		_ = d.Sync()
		d.Close()
	}
	// Reopened by its own name, so later errors name the live file.
	f.Close()
	if f, err = os.OpenFile(n.path, os.O_RDWR|os.O_APPEND, 0o600); err != nil {
		return fmt.Errorf("mock: nonce file: %w", err)
	}
	if n.f != nil {
		n.f.Close()
	}
	n.f, n.appended = f, 0
	return nil
}

func (n *nonceFile) Close() error {
	n.mu.Lock()
	defer n.mu.Unlock()
	return n.f.Close()
}
