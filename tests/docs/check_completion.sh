#!/usr/bin/env bash
# check_completion.sh COMPLETION_FILE: runs the bash completion function for typical
# command lines and compares what it offers. bash-completion's helpers are replaced by
# minimal stand-ins (_init_completion fills cur/prev/words/cword from COMP_*; _filedir
# offers FILES), so the test needs no bash-completion package. Exit 1 on any mismatch.
set -u
# shellcheck source=/dev/null
. "$1" || exit 2

_init_completion() {
    words=("${COMP_WORDS[@]}")
    cword=$COMP_CWORD
    cur=${COMP_WORDS[COMP_CWORD]}
    prev=${COMP_WORDS[COMP_CWORD - 1]}
}
_filedir() { COMPREPLY=(FILES); }

bad=0
expect() { # expect "WORDS..." "OFFERED..." (the last word is the one being completed)
    local line=$1 want=$2 got
    read -r -a COMP_WORDS <<<"$line"
    [[ $line == *" " ]] && COMP_WORDS+=("")
    COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
    COMPREPLY=()
    _bitsht
    got=$(printf '%s\n' "${COMPREPLY[@]}" | sort | xargs)
    want=$(printf '%s\n' $want | sort | xargs)
    if [ "$got" != "$want" ]; then
        printf 'check_completion: "%s": offered [%s], expected [%s]\n' "$line" "$got" "$want"
        bad=1
    fi
}

expect "bitsht tr" "transfer"
expect "bitsht c" "cleanup clear-token"
expect "bitsht --v" "--version"
expect "bitsht transfer --tok" "--token-flags"
expect "bitsht transfer --token-flags " "local network local,network"
expect "bitsht transfer --logon-type ser" "service"
expect "bitsht transfer --backend " "fake com"
expect "bitsht transfer --fake-world " "FILES"
expect "bitsht transfer --no" "--no-helper-token"
expect "bitsht transfer https://x/a " "FILES"
expect "bitsht cleanup --o" "--older-than"
expect "bitsht list --j" "--json"
expect "bitsht list --o" ""
expect "bitsht token-flags {JOB} " "local network local,network none"
[ $bad -eq 0 ] && echo "check_completion: all cases offered what they should"
exit $bad
