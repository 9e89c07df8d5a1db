# bash completion for bitsht (installed as share/bash-completion/completions/bitsht).
# The command and option lists are checked against `bitsht --help` by the test
# docs_help_matches_man_page (tests/docs): keep them in step.

_bitsht()
{
    local cur prev words cword
    _init_completion || return

    local commands="transfer token-sid token-flags clear-token list cleanup doctor help"
    local common="--json --quiet --backend --fake-world --fake-state"
    local transfer_opts="--user --password-stdin --password-env --token-flags --logon-type
        --no-helper-token --timeout --max-transient --name --priority --overwrite --allow-metered"
    local doctor_opts="--user --password-stdin --password-env --token-flags --logon-type"
    local cleanup_opts="--older-than"

    case $prev in
        --backend) COMPREPLY=($(compgen -W "fake com" -- "$cur")); return ;;
        --token-flags) COMPREPLY=($(compgen -W "local network local,network" -- "$cur")); return ;;
        --logon-type)
            COMPREPLY=($(compgen -W "interactive network network-cleartext batch service new-credentials" -- "$cur"))
            return ;;
        --priority) COMPREPLY=($(compgen -W "foreground high normal low" -- "$cur")); return ;;
        --fake-world | --fake-state) _filedir; return ;;
        --password-env) COMPREPLY=($(compgen -v -- "$cur")); return ;;
        --user | --timeout | --max-transient | --name | --older-than) return ;;
    esac

    if [[ $cword -eq 1 ]]; then
        COMPREPLY=($(compgen -W "$commands --help --version" -- "$cur"))
        return
    fi

    local opts=$common
    case ${words[1]} in
        transfer) opts="$common $transfer_opts" ;;
        cleanup) opts="$common $cleanup_opts" ;;
        doctor) opts="$common $doctor_opts" ;;
        token-flags)
            # bitsht token-flags JOB FLAGS
            if [[ $cur != -* && $cword -eq 3 ]]; then
                COMPREPLY=($(compgen -W "local network local,network none" -- "$cur"))
                return
            fi ;;
    esac
    if [[ $cur == -* ]]; then
        COMPREPLY=($(compgen -W "$opts" -- "$cur"))
    elif [[ ${words[1]} == transfer ]]; then
        _filedir
    fi
} &&
    complete -F _bitsht bitsht bitsht.exe
