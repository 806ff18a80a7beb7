# shellcheck shell=bash
# Shared by setup/run and setup/test: make sure everything the product needs is in
# place, installing only what is missing. Sourced, not executed.
#
# Odoo itself is never downloaded: it comes from ODOO_SRC (a source tree, a git
# directory or a tarball of Odoo 18.0) and is cached under
# ${XDG_CACHE_HOME:-$HOME/.cache}/complaint-management/odoo-18.0.

set -euo pipefail

CM_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
CM_CACHE="${XDG_CACHE_HOME:-$HOME/.cache}/complaint-management"
CM_ODOO="$CM_CACHE/odoo-18.0"
CM_PY="${CM_PYTHON:-python3}"
CM_ADDONS="complaint_management,complaint_management_sms"
CM_T0=$(date +%s)

log() { printf '\033[1m[setup %4ss]\033[0m %s\n' "$(($(date +%s) - CM_T0))" "$*" >&2; }
die() {
    local code=$1
    shift
    printf 'error: %s\n' "$*" >&2
    exit "$code"
}

as_root() {
    if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi
}

as_postgres() {
    if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else sudo -u postgres "$@"; fi
}

# --- Debian packages ---------------------------------------------------------
cm_apt() {
    local missing=() pkg
    for pkg in "$@"; do
        dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" ||
            missing+=("$pkg")
    done
    [ ${#missing[@]} -eq 0 ] && return 0
    log "installing Debian packages: ${missing[*]}"
    as_root apt-get update -qq
    DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq --no-install-recommends \
        "${missing[@]}" >&2
}

# --- Odoo source -------------------------------------------------------------
_cm_odoo_root() {
    # The folder holding odoo-bin inside an unpacked tree (top level or one below).
    local top=$1 f
    for f in "$top/odoo-bin" "$top"/*/odoo-bin; do
        [ -f "$f" ] && {
            dirname "$f"
            return 0
        }
    done
    return 1
}

cm_odoo_source() {
    local src="${ODOO_SRC:-}" stamp tmp root
    if [ -z "$src" ]; then
        [ -f "$CM_ODOO/odoo-bin" ] && return 0
        die 2 "Odoo 18.0 source not found.
  This project needs the Odoo 18.0 Community source; it is in no package registry.
  Get it (for instance: git clone --branch 18.0 --depth 1 <the Odoo repository>, or a
  release tarball of Odoo 18.0) and run again with
      ODOO_SRC=/path/to/odoo-18.0 $0
  ODOO_SRC may be a source tree, a git directory or a tarball. It is copied once to
  $CM_ODOO and reused from there when ODOO_SRC is unset."
    fi
    [ -e "$src" ] || die 2 "ODOO_SRC=$src does not exist"
    src="$(cd "$(dirname "$src")" && pwd)/$(basename "$src")"
    if [ -d "$src" ] && git --git-dir="$src" rev-parse --verify -q HEAD >/dev/null 2>&1 &&
        [ ! -f "$src/odoo-bin" ]; then
        stamp="git:$(git --git-dir="$src" rev-parse HEAD)"
    elif [ -d "$src" ]; then
        stamp="tree:$src:$(stat -c %Y "$src/odoo/release.py" 2>/dev/null || echo none)"
    else
        stamp="tar:$(sha256sum "$src" | cut -c1-16)"
    fi
    if [ -f "$CM_ODOO/odoo-bin" ] && [ "$(cat "$CM_ODOO/.cm-stamp" 2>/dev/null)" = "$stamp" ]; then
        return 0
    fi
    log "copying Odoo 18.0 from $src to $CM_ODOO (once)"
    mkdir -p "$CM_CACHE"
    tmp="$(mktemp -d "$CM_CACHE/odoo.tmp.XXXXXX")"
    case "$stamp" in
    git:*) git --git-dir="$src" archive --format=tar HEAD | tar -x -C "$tmp" ;;
    tree:*) tar -C "$src" --exclude=.git -cf - . | tar -x -C "$tmp" ;;
    tar:*) tar -xf "$src" -C "$tmp" || die 2 "ODOO_SRC=$src is neither a folder nor a tarball" ;;
    esac
    root="$(_cm_odoo_root "$tmp")" || {
        rm -rf "$tmp"
        die 2 "ODOO_SRC=$src holds no odoo-bin: is it an Odoo source tree?"
    }
    grep -q "version_info = (18, 0," "$root/odoo/release.py" || {
        rm -rf "$tmp"
        die 2 "ODOO_SRC=$src is not Odoo 18.0 (see odoo/release.py)"
    }
    rm -rf "$CM_ODOO.old"
    [ -e "$CM_ODOO" ] && mv "$CM_ODOO" "$CM_ODOO.old"
    mv "$root" "$CM_ODOO"
    echo "$stamp" >"$CM_ODOO/.cm-stamp"
    rm -rf "$tmp" "$CM_ODOO.old"
    log "Odoo source cached ($(du -sh "$CM_ODOO" | cut -f1))"
}

# --- virtualenv --------------------------------------------------------------
cm_venv() {
    local key
    key=$( (
        "$CM_PY" -c 'import sys; print(sys.version)'
        echo "recipe 1" # bump when the way the venv is built changes
        cat "$CM_ODOO/requirements.txt" "$CM_ROOT/requirements.txt"
    ) | sha256sum | cut -c1-12)
    CM_VENV="$CM_CACHE/venv-$key"
    export VIRTUAL_ENV="$CM_VENV" PATH="$CM_VENV/bin:$PATH"
    [ -f "$CM_VENV/.cm-ready" ] && return 0
    log "building the virtualenv $CM_VENV (first run only, a few minutes)"
    rm -rf "$CM_VENV"
    "$CM_PY" -m venv "$CM_VENV"
    local cons
    cons="$CM_VENV/build-constraints.txt"
    echo "setuptools<70" >"$cons"
    # Old sdists (vobject, pyusb, ...) need an old setuptools in their isolated
    # build; pip >= 25.3 reads only PIP_BUILD_CONSTRAINT for those builds.
    export PIP_BUILD_CONSTRAINT="$cons" PIP_CONSTRAINT="$cons"
    export PIP_DISABLE_PIP_VERSION_CHECK=1
    pip install -q "pip<25.3" wheel "setuptools<70"
    log "[1/3] Odoo's requirements (python-ldap skipped)"
    grep -v -i '^python-ldap' "$CM_ODOO/requirements.txt" >"$CM_VENV/odoo-requirements.txt"
    pip install --progress-bar off -r "$CM_VENV/odoo-requirements.txt" 2>&1 |
        grep -E '^(Collecting|Successfully|ERROR)' | sed 's/^/    /' >&2
    log "[2/3] Odoo itself, editable"
    pip install -q --no-deps --config-settings editable_mode=compat -e "$CM_ODOO"
    log "[3/3] requirements.txt (OCA addons, phone numbers, test and lint tools)"
    pip install --progress-bar off -r "$CM_ROOT/requirements.txt" 2>&1 |
        grep -E '^(Collecting|Successfully|ERROR)' | sed 's/^/    /' >&2
    python -c "import odoo, phonenumbers" || die 1 "the virtualenv is broken"
    unset PIP_CONSTRAINT PIP_BUILD_CONSTRAINT
    touch "$CM_VENV/.cm-ready"
    # Older venvs of this project are dead weight.
    find "$CM_CACHE" -maxdepth 1 -name 'venv-*' ! -name "venv-$key" -exec rm -rf {} + 2>/dev/null || true
    log "virtualenv ready"
}

# --- PostgreSQL ---------------------------------------------------------------
cm_postgres() {
    command -v pg_lsclusters >/dev/null || cm_apt postgresql
    local ver name status
    if ! pg_lsclusters -h | grep -q .; then
        cm_apt postgresql
    fi
    read -r ver name _ status _ < <(pg_lsclusters -h | head -n1)
    if [ "$status" != online ]; then
        log "starting PostgreSQL $ver/$name"
        as_root pg_ctlcluster "$ver" "$name" start
    fi
    local me
    me="$(id -un)"
    if ! as_postgres psql -tAc "SELECT 1 FROM pg_roles WHERE rolname='$me'" | grep -q 1; then
        log "creating PostgreSQL superuser role $me"
        as_postgres createuser -s "$me"
    fi
}

# --- right-to-left styles ---------------------------------------------------------
cm_rtlcss() {
    command -v rtlcss >/dev/null && return 0
    command -v npm >/dev/null || cm_apt nodejs npm
    log "installing rtlcss (npm) for right-to-left Persian styles"
    as_root npm install -g --silent rtlcss >&2
}

cm_bootstrap() {
    cm_odoo_source
    # Chromium prints the complaint reports (wkhtmltopdf stays for other apps').
    cm_apt postgresql libpq-dev wkhtmltopdf chromium fonts-noto-core "$@"
    cm_postgres
    cm_rtlcss
    cm_venv
    CM_ADDONS_PATH="$CM_ODOO/odoo/addons,$CM_ODOO/addons,$CM_ROOT"
    export CM_ODOO CM_ROOT CM_ADDONS_PATH CM_VENV
    log "ready: Odoo $CM_ODOO, virtualenv $CM_VENV"
}

cm_odoo() {
    python "$CM_ODOO/odoo-bin" --addons-path="$CM_ADDONS_PATH" "$@"
}
