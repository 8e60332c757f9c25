# unet completion for PowerShell; load it from your $PROFILE:
#   unet completion powershell | Out-String | Invoke-Expression
Register-ArgumentCompleter -Native -CommandName unet -ScriptBlock {
    param($wordToComplete, $commandAst, $cursorPosition)
    $line = $commandAst.ToString()
    $end = $cursorPosition - $commandAst.Extent.StartOffset
    $line = $line.Substring(0, [Math]::Min($line.Length, $end))
    $words = @($commandAst.CommandElements |
        Where-Object { $_.Extent.StartOffset -lt $cursorPosition })
    $cword = $words.Count
    if ($wordToComplete) { $cword -= 1 }
    $env:COMP_WORDS = $line
    $env:COMP_CWORD = "$cword"
    $env:_UNET_COMPLETE = "zsh_complete"
    $out = @(& unet 2>$null)
    Remove-Item Env:COMP_WORDS, Env:COMP_CWORD, Env:_UNET_COMPLETE -ErrorAction SilentlyContinue
    for ($i = 0; $i + 2 -lt $out.Count; $i += 3) {
        $type = $out[$i]; $value = $out[$i + 1] -replace '\\:', ':'; $help = $out[$i + 2]
        # file/dir: return nothing, so PowerShell falls back to its own path completion
        if ($type -ne 'plain') { continue }
        if ($help -eq '_') { $help = $value }
        [System.Management.Automation.CompletionResult]::new(
            $value, $value, 'ParameterValue', $help)
    }
}
