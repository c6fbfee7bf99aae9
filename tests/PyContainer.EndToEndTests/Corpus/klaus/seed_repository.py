"""Startup step: give klaus a repository to show on a fresh volume (a real deployment mounts its own).

Creates the git repository /var/lib/klaus/<name> (default: demo) with one commit, unless it exists.
"""
import os
import sys

from dulwich import porcelain

REPOS_ROOT = os.environ.get("KLAUS_REPOS_ROOT", "/var/lib/klaus")


def main(name="demo"):
    path = os.path.join(REPOS_ROOT, name)
    if os.path.isdir(path):
        print(f"{path} exists; left as it is")
        return
    repo = porcelain.init(path)  # creates the folder
    with open(os.path.join(path, "README.md"), "w", encoding="utf-8") as f:
        f.write("# demo\n\nServed by klaus, containerized by PyContainer.\n")
    porcelain.add(repo, [os.path.join(path, "README.md")])
    identity = b"PyContainer <pycontainer@example.invalid>"
    porcelain.commit(repo, message=b"Add a README", author=identity, committer=identity)
    print(f"created {path} with one commit")


if __name__ == "__main__":
    main(*sys.argv[1:])
