#!/usr/bin/env bash
# Provision private MySQL / MariaDB servers for binlogsync's tests, demo and benchmarks.
#
#   scripts/provision/provision.sh [mysql-9.7] [mariadb-11.8] [mariadb-10.11] [mariadb-10.5]
#
# Nothing is installed system-wide except MariaDB 10.11, which is Debian bookworm's own `mariadb-server`
# package (installed with apt-get when missing; its system service is never started). Newer servers come
# from Debian's newer suites: their .debs are downloaded with a private apt configuration, unpacked with
# `dpkg -x`, and run through the unpacked root's own dynamic loader (bookworm's glibc is too old for them).
#
# Everything lives under $BINLOGSYNC_CACHE (default ~/.cache/binlogsync): <name>/root (unpacked files),
# <name>/bin (wrappers), <name>/template (an initialized datadir that each test instance copies) and
# <name>/server.json (what the test harness reads). Re-running is cheap: lists are refreshed after 12 h
# (until then nothing else is looked at), only missing .debs are fetched, and the datadir template is
# made once.
set -euo pipefail

CACHE=${BINLOGSYNC_CACHE:-$HOME/.cache/binlogsync}
MIRROR=${BINLOGSYNC_DEBIAN_MIRROR:-http://deb.debian.org/debian}
LISTS_MAX_AGE_MIN=${BINLOGSYNC_LISTS_MAX_AGE_MIN:-720}
ARCH_TRIPLET=x86_64-linux-gnu
mkdir -p "$CACHE"
log() { printf '[provision] %s\n' "$*" >&2; }
now() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1f", b - a }'; }

# --- download and unpack a package closure from a Debian suite into $1/root -----------------------
fetch_suite() { # dir suite packages... (a package written =name is taken alone, without its dependencies)
  local dir=$1 suite=$2; shift 2
  local closure=() alone=() p
  for p in "$@"; do if [ "${p#=}" != "$p" ]; then alone+=("${p#=}"); else closure+=("$p"); fi; done
  local apt=$dir/apt debs=$dir/debs root=$dir/root
  mkdir -p "$apt/lists/partial" "$apt/cache/archives/partial" "$debs"
  echo "deb $MIRROR $suite main" >"$apt/sources.list"
  [ -f "$apt/status" ] || : >"$apt/status"
  local opts=(-o Dir::Etc::sourcelist="$apt/sources.list" -o Dir::Etc::sourceparts=/dev/null
    -o Dir::State::Lists="$apt/lists" -o Dir::State::status="$apt/status"
    -o Dir::Cache="$apt/cache" -o Dir::Cache::archives="$apt/cache/archives"
    -o Dir::Cache::pkgcache= -o Dir::Cache::srcpkgcache= -o Acquire::Languages=none
    -o APT::Sandbox::User="$(id -un)" -o Debug::NoLocking=1)
  # The lists' own files keep the mirror's times, so a stamp of our own says when they were fetched.
  local fetched=$apt/lists-fetched
  if [ -z "$(find "$apt/lists" -maxdepth 1 -name '*_Packages*' 2>/dev/null)" ] ||
    [ -z "$(find "$fetched" -mmin -"$LISTS_MAX_AGE_MIN" 2>/dev/null)" ]; then
    log "$suite: refreshing package lists"
    # Error-Mode=any: a fetch that fails is a failure (by default apt-get update exits 0 with warnings),
    # so the stamp is not set and the next run tries again; the lists from before stay in use
    if apt-get "${opts[@]}" -o APT::Update::Error-Mode=any -qq update; then touch "$fetched"; fi
  elif [ -f "$apt/files.txt" ] &&
    [ "$(cat "$root/.stamp" 2>/dev/null)" = "$(sort "$apt/files.txt" | sha256sum | cut -c1-64)" ]; then
    return 0 # the same lists as when the root was unpacked from them: nothing can have changed
  fi
  # The Depends/Pre-Depends closure, without perl (only helper scripts need it).
  local skip='^(perl|perl-base|perl-modules-.*|libperl.*|libgdbm.*|libdb5\.3.*|lib.*-perl)$'
  local pkgs
  mapfile -t pkgs < <(apt-cache "${opts[@]}" depends --recurse --no-recommends --no-suggests --no-conflicts \
    --no-breaks --no-replaces --no-enhances "${closure[@]}" | grep -v '^ ' | grep -v '^<' | sort -u | grep -Ev "$skip")
  pkgs+=("${alone[@]}")
  apt-get "${opts[@]}" download --print-uris "${pkgs[@]}" >"$apt/uris.txt"
  local missing=() uri file size hash
  : >"$apt/files.txt"
  while read -r uri file size hash; do
    echo "$file" >>"$apt/files.txt"
    if [ -f "$debs/$file" ] && echo "${hash#SHA256:}  $debs/$file" | sha256sum -c --status 2>/dev/null; then continue; fi
    missing+=("${file%%_*}")
  done <"$apt/uris.txt"
  if [ ${#missing[@]} -gt 0 ]; then
    log "$suite: downloading ${#missing[@]} packages"
    (cd "$debs" && apt-get "${opts[@]}" -qq download "${missing[@]}")
  fi
  local stamp
  stamp=$(sort "$apt/files.txt" | sha256sum | cut -c1-64)
  if [ "$(cat "$root/.stamp" 2>/dev/null)" != "$stamp" ]; then
    log "$suite: unpacking ${#pkgs[@]} packages"
    rm -rf "$root.new" && mkdir -p "$root.new"
    while read -r file; do dpkg -x "$debs/$file" "$root.new"; done <"$apt/files.txt"
    rm -rf "$root.new/usr/share/doc" "$root.new/usr/share/man"
    echo "$stamp" >"$root.new/.stamp"
    rm -rf "$root" && mv "$root.new" "$root"
    rm -rf "$dir/template" # a new server build needs a new datadir
  fi
}

# An exec wrapper keeps the PID of the real server (the harness stops servers by PID).
wrap() { # out loader libpath binary [fixed args...]
  local out=$1 ldso=$2 libp=$3 bin=$4; shift 4
  { printf '#!/bin/sh\nexec "%s" --library-path "%s" "%s"' "$ldso" "$libp" "$bin"
    for a in "$@"; do printf ' "%s"' "$a"; done
    printf ' "$@"\n'; } >"$out"
  chmod +x "$out"
}

json_str() { printf '"%s"' "$(printf '%s' "$1" | sed 's/\\/\\\\/g; s/"/\\"/g')"; }

write_server_json() { # dir flavor version mysqld client binlogtool admin basedir plugindir sharedir charsetsdir template
  cat >"$1/server.json" <<JSON
{
  "flavor": $(json_str "$2"),
  "version": $(json_str "$3"),
  "mysqld": $(json_str "$4"),
  "client": $(json_str "$5"),
  "binlogTool": $(json_str "$6"),
  "admin": $(json_str "$7"),
  "basedir": $(json_str "$8"),
  "pluginDir": $(json_str "$9"),
  "shareDir": $(json_str "${10}"),
  "charsetsDir": $(json_str "${11}"),
  "template": $(json_str "${12}")
}
JSON
}

user_opt() { if [ "$(id -u)" = 0 ]; then echo --user=root; fi; }

provision_mysql() { # Oracle MySQL from Debian sid
  local name=mysql-9.7 dir=$CACHE/mysql-9.7 t0; t0=$(now)
  fetch_suite "$dir" "${BINLOGSYNC_MYSQL_SUITE:-sid}" mysql-server-core mysql-client-core
  local r=$dir/root b=$dir/bin
  local ldso=$r/usr/lib/$ARCH_TRIPLET/ld-linux-x86-64.so.2 libp=$r/usr/lib/$ARCH_TRIPLET
  mkdir -p "$b"
  wrap "$b/mysqld" "$ldso" "$libp" "$r/usr/sbin/mysqld"
  wrap "$b/mysql" "$ldso" "$libp" "$r/usr/bin/mysql" --no-defaults
  wrap "$b/mysqlbinlog" "$ldso" "$libp" "$r/usr/bin/mysqlbinlog" --no-defaults
  wrap "$b/mysqladmin" "$ldso" "$libp" "$r/usr/bin/mysqladmin" --no-defaults
  local version; version=$("$b/mysqld" --version | sed -E 's/.*Ver ([0-9.]+).*/\1/')
  local share=$r/usr/share/mysql
  if [ ! -f "$dir/template/.ready" ]; then
    log "$name: initializing the template datadir"
    rm -rf "$dir/template" "$dir/init-tmp" && mkdir -p "$dir/init-tmp"
    "$b/mysqld" --no-defaults --initialize-insecure --basedir="$r/usr" --datadir="$dir/template" \
      --plugin-dir="$r/usr/lib/mysql/plugin" --lc-messages-dir="$share" --character-sets-dir="$share/charsets" \
      --secure-file-priv="$dir/init-tmp" --tmpdir="$dir/init-tmp" --log-error="$dir/init.err" $(user_opt) ||
      { tail -20 "$dir/init.err" >&2; exit 1; }
    touch "$dir/template/.ready"
  fi
  write_server_json "$dir" mysql "$version" "$b/mysqld" "$b/mysql" "$b/mysqlbinlog" "$b/mysqladmin" "$r/usr" \
    "$r/usr/lib/mysql/plugin" "$share" "$share/charsets" "$dir/template"
  log "$name: MySQL $version ready in $(elapsed "$t0") s"
}

provision_mariadb_suite() { # name suite : MariaDB from a newer (or older) Debian suite
  local name=$1 suite=$2 dir=$CACHE/$1 t0; t0=$(now)
  # mariadb-server (alone: its own dependencies are galera, rsync, socat, perl…) holds the server plugins the
  # auth tests load: auth_ed25519, auth_pam
  local pkgs=(mariadb-server-core mariadb-client-core mariadb-client =mariadb-server)
  [ "$suite" = bullseye ] && pkgs=(mariadb-server-core-10.5 mariadb-client-core-10.5 mariadb-client-10.5 =mariadb-server-10.5)
  fetch_suite "$dir" "$suite" "${pkgs[@]}"
  local r=$dir/root b=$dir/bin w=$dir/wrapbase ldso
  if [ -e "$r/usr/lib/$ARCH_TRIPLET/ld-linux-x86-64.so.2" ]; then ldso=$r/usr/lib/$ARCH_TRIPLET/ld-linux-x86-64.so.2
  else ldso=$r/lib/$ARCH_TRIPLET/ld-linux-x86-64.so.2; fi # bullseye is not merged-/usr
  local libp=$r/lib/$ARCH_TRIPLET:$r/usr/lib/$ARCH_TRIPLET share=$r/usr/share/mysql
  [ -d "$r/usr/share/mariadb/english" ] && share=$r/usr/share/mariadb
  mkdir -p "$b"
  local server=$r/usr/sbin/mariadbd; [ -e "$server" ] || server=$r/usr/sbin/mysqld
  wrap "$b/mariadbd" "$ldso" "$libp" "$server"
  local c
  for c in mariadb mariadb-binlog mariadb-admin; do
    local real=$r/usr/bin/$c
    [ -e "$real" ] || real=$r/usr/bin/$(echo "$c" | sed 's/mariadb-binlog/mysqlbinlog/; s/mariadb-admin/mysqladmin/; s/^mariadb$/mysql/')
    wrap "$b/$c" "$ldso" "$libp" "$real" --no-defaults --character-sets-dir="$share/charsets"
  done
  local version; version=$("$b/mariadbd" --version | sed -E 's/.*Ver ([0-9.]+)-MariaDB.*/\1/')
  if [ ! -f "$dir/template/.ready" ]; then
    log "$name: initializing the template datadir"
    # mariadb-install-db runs $basedir/bin/my_print_defaults, resolveip and sbin/mariadbd directly:
    # give it a base directory of exec wrappers.
    rm -rf "$w" && mkdir -p "$w/bin" "$w/sbin"
    ln -s "$r/usr/share" "$w/share" && ln -s "$r/usr/lib" "$w/lib"
    for c in my_print_defaults resolveip; do wrap "$w/bin/$c" "$ldso" "$libp" "$r/usr/bin/$c"; done
    wrap "$w/sbin/mariadbd" "$ldso" "$libp" "$server"; cp "$w/sbin/mariadbd" "$w/sbin/mysqld"
    local installdb=$r/usr/bin/mariadb-install-db; [ -e "$installdb" ] || installdb=$r/usr/bin/mysql_install_db
    rm -rf "$dir/template" && mkdir -p "$dir/template"
    "$installdb" --no-defaults --basedir="$w" --datadir="$dir/template" $(user_opt) \
      --auth-root-authentication-method=normal --skip-test-db --character-sets-dir="$share/charsets" \
      >"$dir/init.log" 2>&1 || { tail -30 "$dir/init.log" >&2; exit 1; }
    touch "$dir/template/.ready"
  fi
  local plugdir=$r/usr/lib/mysql/plugin
  write_server_json "$dir" mariadb "$version" "$b/mariadbd" "$b/mariadb" "$b/mariadb-binlog" "$b/mariadb-admin" \
    "$r/usr" "$plugdir" "$share" "$share/charsets" "$dir/template"
  log "$name: MariaDB $version ready in $(elapsed "$t0") s"
}

provision_mariadb_system() { # Debian bookworm's own MariaDB 10.11
  local dir=$CACHE/mariadb-10.11 t0; t0=$(now)
  if ! command -v mariadbd >/dev/null 2>&1 && [ ! -x /usr/sbin/mariadbd ]; then
    if [ "$(id -u)" != 0 ]; then log "mariadb-10.11: run as root or: sudo apt-get install mariadb-server mariadb-client"; exit 1; fi
    log "mariadb-10.11: apt-get install mariadb-server mariadb-client"
    # Keep the package from starting its system service.
    local prc=/usr/sbin/policy-rc.d had=0
    [ -e "$prc" ] && had=1
    [ $had = 1 ] || { printf '#!/bin/sh\nexit 101\n' >"$prc"; chmod +x "$prc"; }
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq mariadb-server mariadb-client >/dev/null ||
      { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq mariadb-server mariadb-client >/dev/null; }
    [ $had = 1 ] || rm -f "$prc"
  fi
  mkdir -p "$dir"
  local version; version=$(/usr/sbin/mariadbd --version | sed -E 's/.*Ver ([0-9.]+)-MariaDB.*/\1/')
  if [ ! -f "$dir/template/.ready" ] || [ "$(cat "$dir/template/.version" 2>/dev/null)" != "$version" ]; then
    log "mariadb-10.11: initializing the template datadir"
    rm -rf "$dir/template" && mkdir -p "$dir/template"
    mariadb-install-db --no-defaults --datadir="$dir/template" $(user_opt) --auth-root-authentication-method=normal \
      --skip-test-db >"$dir/init.log" 2>&1 || { tail -30 "$dir/init.log" >&2; exit 1; }
    echo "$version" >"$dir/template/.version"; touch "$dir/template/.ready"
  fi
  write_server_json "$dir" mariadb "$version" /usr/sbin/mariadbd /usr/bin/mariadb /usr/bin/mariadb-binlog \
    /usr/bin/mariadb-admin /usr "/usr/lib/mysql/plugin" /usr/share/mysql /usr/share/mysql/charsets "$dir/template"
  log "mariadb-10.11: MariaDB $version ready in $(elapsed "$t0") s"
}

[ $# -gt 0 ] || set -- mysql-9.7 mariadb-10.11 mariadb-11.8
for target in "$@"; do
  case $target in
    mysql-9.7) provision_mysql ;;
    mariadb-10.11) provision_mariadb_system ;;
    mariadb-11.8) provision_mariadb_suite mariadb-11.8 trixie ;;
    mariadb-10.5) provision_mariadb_suite mariadb-10.5 bullseye ;;
    *) log "unknown server '$target' (known: mysql-9.7 mariadb-10.11 mariadb-11.8 mariadb-10.5)"; exit 2 ;;
  esac
done
