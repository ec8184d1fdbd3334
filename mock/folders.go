package mock

import (
	"context"
	"strings"
	"time"

	rdm "github.com/acsconform/acsconform/gen/resourcedirectorymaster"
)

// Folders: a tree under the directory's root folder. Names are unique
// among one parent's folders; the depth limit is the contract's quota
// folder-depth of CreateFolder (levels under the root); the count limit is
// the profile's (no page states it). A folder is deleted only when it holds
// neither folders nor accounts.

// folderDepth is how many levels below the root a folder sits (the root
// is 0).
func folderDepth(d *Directory, id string) int {
	n := 0
	for f := d.Folders[id]; f != nil && f.Parent != ""; f = d.Folders[f.Parent] {
		n++
	}
	return n
}

// folderPath is the folder's RDPath: the directory, then the folders from
// the root down.
func folderPath(d *Directory, id string) string {
	var chain [8]string // the usual depth fits; deeper ones grow the slice
	ids := chain[:0]
	for f := d.Folders[id]; f != nil; f = d.Folders[f.Parent] {
		ids = append(ids, f.ID)
	}
	var b strings.Builder
	b.WriteString(d.ID)
	for i := len(ids) - 1; i >= 0; i-- {
		b.WriteByte('/')
		b.WriteString(ids[i])
	}
	return b.String()
}

func nameUsed(d *Directory, parent, name, except string) bool {
	n := d.namedUnder(parent, name)
	if f := d.Folders[except]; f != nil && f.Parent == parent && f.Name == name {
		n-- // the folder keeps its own name
	}
	return n > 0
}

func (b *Backend) maxFolderDepth() int {
	if op := b.api.Operation("CreateFolder"); op != nil {
		for _, q := range op.Quotas {
			if q.Period == "depth" && q.Error == rdm.CodeLimitExceededFolderDepth {
				return q.Limit
			}
		}
	}
	return 0
}

func (s server) CreateFolder(ctx context.Context, r *rdm.CreateFolderRequest) (*rdm.CreateFolderResponse, error) {
	return dop(s, ctx, r, func(b *Backend, c *Caller, d *Directory, now time.Time, r *rdm.CreateFolderRequest) (*rdm.CreateFolderResponse, error) {
		const action = "CreateFolder"
		parent := r.ParentFolderId
		if parent == "" {
			parent = d.RootFolderID
		}
		if nameUsed(d, parent, r.FolderName, "") {
			return nil, rdm.NewError(action, rdm.CodeInvalidParameterFolderNameAlreadyUsed)
		}
		if max := b.maxFolderDepth(); max > 0 && folderDepth(d, parent)+1 > max {
			return nil, rdm.NewError(action, rdm.CodeLimitExceededFolderDepth)
		}
		if d.FolderLimit > 0 && len(d.Folders)-1 >= d.FolderLimit {
			return nil, rdm.NewError(action, rdm.CodeQuotaExceededFolderCount)
		}
		f := &Folder{ID: b.newID("fd-"), Name: r.FolderName, Parent: parent, CreateTime: now}
		puts := []Put{putFolder(d.ID, f)}
		if p := defaultPolicy(d, f.ID, now); p != nil {
			puts = append(puts, *p)
		}
		if err := b.save(now, puts...); err != nil {
			return nil, err
		}
		return &rdm.CreateFolderResponse{Folder: rdm.CreateFolderResponseFolder{FolderId: f.ID, FolderName: f.Name, ParentFolderId: f.Parent, CreateTime: iso(now)}}, nil
	})
}

func (s server) GetFolder(ctx context.Context, r *rdm.GetFolderRequest) (*rdm.GetFolderResponse, error) {
	return dop(s, ctx, r, func(b *Backend, c *Caller, d *Directory, now time.Time, r *rdm.GetFolderRequest) (*rdm.GetFolderResponse, error) {
		f := d.Folders[r.FolderId]
		return &rdm.GetFolderResponse{Folder: rdm.GetFolderResponseFolder{FolderId: f.ID, FolderName: f.Name, ParentFolderId: f.Parent,
			CreateTime: iso(f.CreateTime), ResourceDirectoryPath: folderPath(d, f.ID)}}, nil
	})
}

func (s server) UpdateFolder(ctx context.Context, r *rdm.UpdateFolderRequest) (*rdm.UpdateFolderResponse, error) {
	return dop(s, ctx, r, func(b *Backend, c *Caller, d *Directory, now time.Time, r *rdm.UpdateFolderRequest) (*rdm.UpdateFolderResponse, error) {
		cur := d.Folders[r.FolderId]
		if nameUsed(d, cur.Parent, r.NewFolderName, cur.ID) {
			return nil, rdm.NewError("UpdateFolder", rdm.CodeInvalidParameterFolderNameAlreadyUsed)
		}
		f := *cur
		f.Name = r.NewFolderName
		if err := b.save(now, putFolder(d.ID, &f)); err != nil {
			return nil, err
		}
		return &rdm.UpdateFolderResponse{Folder: rdm.UpdateFolderResponseFolder{FolderId: f.ID, FolderName: f.Name, ParentFolderId: f.Parent, CreateTime: iso(f.CreateTime)}}, nil
	})
}

func (s server) DeleteFolder(ctx context.Context, r *rdm.DeleteFolderRequest) (*rdm.DeleteFolderResponse, error) {
	return dop(s, ctx, r, func(b *Backend, c *Caller, d *Directory, now time.Time, r *rdm.DeleteFolderRequest) (*rdm.DeleteFolderResponse, error) {
		const action = "DeleteFolder"
		for _, f := range d.Folders {
			if f.Parent == r.FolderId {
				return nil, rdm.NewError(action, rdm.CodeDeleteConflictFolderSubFolder)
			}
		}
		for m := range d.Members {
			if a := b.state.Accounts[m]; a != nil && a.Folder == r.FolderId {
				return nil, rdm.NewError(action, rdm.CodeDeleteConflictFolderAccount)
			}
		}
		// The root folder holds the management account, so it is never
		// empty and never deleted.
		if err := b.save(now, Put{Kind: "folder", Dir: d.ID, ID: r.FolderId, Delete: true}); err != nil {
			return nil, err
		}
		return &rdm.DeleteFolderResponse{}, nil
	})
}

func (s server) ListFoldersForParent(ctx context.Context, r *rdm.ListFoldersForParentRequest) (*rdm.ListFoldersForParentResponse, error) {
	return dop(s, ctx, r, func(b *Backend, c *Caller, d *Directory, now time.Time, r *rdm.ListFoldersForParentRequest) (*rdm.ListFoldersForParentResponse, error) {
		parent := r.ParentFolderId
		if parent == "" {
			parent = d.RootFolderID
		}
		// The parent's children, sorted by ID, from the directory's index;
		// only the page asked for is formatted.
		all := d.childrenOf(parent)
		if r.QueryKeyword != "" {
			var hits []*Folder
			for _, f := range all {
				if strings.Contains(f.Name, r.QueryKeyword) || strings.Contains(f.ID, r.QueryKeyword) {
					hits = append(hits, f)
				}
			}
			all = hits
		}
		from, to, pn, ps := b.page(r, len(all), r.PageNumber, r.PageSize)
		page := make([]rdm.ListFoldersForParentResponseFoldersFolder, 0, to-from)
		for _, f := range all[from:to] {
			page = append(page, rdm.ListFoldersForParentResponseFoldersFolder{FolderId: f.ID, FolderName: f.Name, CreateTime: iso(f.CreateTime)})
		}
		return &rdm.ListFoldersForParentResponse{Folders: rdm.ListFoldersForParentResponseFolders{Folder: page}, PageNumber: pn, PageSize: ps, TotalCount: int64(len(all))}, nil
	})
}

func (s server) ListAncestors(ctx context.Context, r *rdm.ListAncestorsRequest) (*rdm.ListAncestorsResponse, error) {
	return dop(s, ctx, r, func(b *Backend, c *Caller, d *Directory, now time.Time, r *rdm.ListAncestorsRequest) (*rdm.ListAncestorsResponse, error) {
		start := r.ChildId
		if a := b.state.Accounts[start]; a != nil && d.Members[start] {
			start = a.Folder
		} else if f := d.Folders[start]; f != nil {
			start = f.Parent
		}
		var out []rdm.ListAncestorsResponseFoldersFolder
		for f := d.Folders[start]; f != nil; f = d.Folders[f.Parent] {
			out = append([]rdm.ListAncestorsResponseFoldersFolder{{FolderId: f.ID, FolderName: f.Name, CreateTime: iso(f.CreateTime)}}, out...)
		}
		return &rdm.ListAncestorsResponse{Folders: rdm.ListAncestorsResponseFolders{Folder: out}}, nil
	})
}
