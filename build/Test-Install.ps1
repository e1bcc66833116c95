#Requires -Version 7.4
<#
.SYNOPSIS
    Installs what build.ps1 -Task Pack left in artifacts/packages the way users do, in a clean home folder, and runs
    it; ends with one line: INSTALL <n> passed, <n> failed.
.DESCRIPTION
    Layout: every package is there; each of the six rids holds libllama, libggml and libggml-base under the names
    its platform loads (Core, the tool and the module); every file the module manifest names exists.
    The .NET tool: dotnet tool install from the local feed only, then `reason hardware --json` and `reason run` on a
    synthetic model. The module: pwsh registers the local feed as a PSResourceGet repository, Install-PSResource
    ReasonTools, Import-Module ReasonTools by name, Invoke-Reason on the synthetic model.
    HOME (and USERPROFILE, the NuGet and .NET CLI homes) point at a new temporary folder, so nothing of the
    developer's caches, modules or settings is used.
.PARAMETER SyntheticModel
    A scripted synthetic GGUF model (ScriptKind.ClosedChain of tests/ReasonTools.Testing, answers "5" to 2 + 3).
    By default $env:REASONTOOLS_TEST_MODEL, else one the xunit suite left in the temporary folder.
#>
[CmdletBinding()]
param(
    [string] $Packages = (Join-Path $PSScriptRoot '../artifacts/packages'),
    [string] $SyntheticModel = (@($env:REASONTOOLS_TEST_MODEL) + @(
            Get-ChildItem ([IO.Path]::GetTempPath()) -Directory -Filter 'reasontools-synthetic*' -ErrorAction SilentlyContinue |
                Get-ChildItem -Filter 'r1-synthetic-ClosedChain*.gguf' | Where-Object Name -NotLike '*-draft-*' | Sort-Object LastWriteTime -Descending | ForEach-Object FullName) |
            Where-Object { $_ -and (Test-Path $_) } | Select-Object -First 1)
)
$ErrorActionPreference = 'Stop'
Set-StrictMode -Version 3
Add-Type -AssemblyName System.IO.Compression.FileSystem

$script:passed = 0
$script:failed = 0
function Check([string] $name, [scriptblock] $body) {
    try { & $body; $script:passed++; Write-Host "  [+] $name" }
    catch { $script:failed++; Write-Host "  [-] $name`n      $($_.Exception.Message)" }
}
function Assert([bool] $condition, [string] $message) { if (-not $condition) { throw $message } }

$rids = [ordered]@{ 'linux-x64' = 'Linux'; 'linux-arm64' = 'Linux'; 'win-x64' = 'Windows'; 'win-arm64' = 'Windows'; 'osx-arm64' = 'MacOS'; 'osx-x64' = 'MacOS' }

# The resolver's naming rule (NativeLibraryNames.Pick): the plain name, or a versioned one with a dot after the name.
function Find-Library([string[]] $files, [string] $name, [string] $platform) {
    $prefix, $extension = switch ($platform) { 'Windows' { $name, '.dll' } 'MacOS' { "lib$name", '.dylib' } default { "lib$name", '.so' } }
    $files | Where-Object { $_ -eq "$prefix$extension" -or ($_.StartsWith("$prefix.") -and $_.EndsWith($extension)) } | Select-Object -First 1
}

function Assert-Natives([string[]] $entries, [string] $prefix) {
    foreach ($rid in $rids.Keys) {
        $folder = "$($prefix)runtimes/$rid/native/"
        $files = @($entries | Where-Object { $_.StartsWith($folder) } | ForEach-Object { $_.Substring($folder.Length) } | Where-Object { $_ -notmatch '/' })
        foreach ($library in 'llama', 'ggml', 'ggml-base') {
            Assert ($null -ne (Find-Library $files $library $rids[$rid])) "$folder holds no $library library for $($rids[$rid]) (has: $($files -join ', '))"
        }
        Assert (@($files | Where-Object { $_ -match 'ggml-cpu' }).Count -gt 0) "$folder holds no ggml-cpu backend"
    }
}

function Get-Entries([string] $id) {
    $file = Join-Path $Packages "$id.0.1.0.nupkg"
    Assert (Test-Path $file) "$file is missing (run ./build.ps1 -Task Pack)"
    $zip = [System.IO.Compression.ZipFile]::OpenRead($file)
    try { @($zip.Entries | ForEach-Object FullName) } finally { $zip.Dispose() }
}

$cleanHome = Join-Path ([IO.Path]::GetTempPath()) ('reasontools-install-' + [IO.Path]::GetRandomFileName())
$null = New-Item -ItemType Directory -Path $cleanHome
# The variables that would let the developer's machine leak in: caches, settings, a native override, module paths.
$cleanEnvironment = @{
    HOME = $cleanHome; USERPROFILE = $cleanHome; DOTNET_CLI_HOME = $cleanHome; NUGET_PACKAGES = (Join-Path $cleanHome '.nuget/packages')
    XDG_CACHE_HOME = $null; XDG_CONFIG_HOME = $null; XDG_DATA_HOME = $null; PSModulePath = $null
    REASONTOOLS_LLAMA_PATH = $null; REASONTOOLS_NATIVE_CACHE = $null; REASONTOOLS_SETTINGS = $null; REASONTOOLS_MODELS = $null
    DOTNET_CLI_TELEMETRY_OPTOUT = '1'; DOTNET_NOLOGO = '1'
}
function Invoke-Clean([string] $file, [string[]] $arguments) {
    $start = [System.Diagnostics.ProcessStartInfo]::new($file)
    foreach ($a in $arguments) { $start.ArgumentList.Add($a) }
    $start.RedirectStandardOutput = $true; $start.RedirectStandardError = $true
    $start.WorkingDirectory = $cleanHome
    foreach ($key in $cleanEnvironment.Keys) {
        if ($null -eq $cleanEnvironment[$key]) { $null = $start.Environment.Remove($key) } else { $start.Environment[$key] = $cleanEnvironment[$key] }
    }
    $process = [System.Diagnostics.Process]::Start($start)
    $stderr = $process.StandardError.ReadToEndAsync()
    $stdout = $process.StandardOutput.ReadToEnd()
    $process.WaitForExit()
    [pscustomobject]@{ ExitCode = $process.ExitCode; Stdout = $stdout; Stderr = $stderr.Result }
}
function Assert-Ran($run, [string] $what) {
    Assert ($run.ExitCode -eq 0) "$what exited with $($run.ExitCode): $($run.Stderr.Trim())"
}

try {
    Write-Host "Install checks (clean HOME: $cleanHome)"
    $feed = (Resolve-Path $Packages).Path

    Check 'ReasonTools.Core holds the natives of all six rids' { Assert-Natives (Get-Entries 'ReasonTools.Core') '' }
    Check 'the reason tool holds the natives of all six rids' { Assert-Natives (Get-Entries 'ReasonTools.Cli') 'tools/net8.0/any/' }
    Check 'ReasonTools.Reports and ReasonTools.Interactive are packed' {
        Assert (@(Get-Entries 'ReasonTools.Reports') -contains 'lib/net8.0/ReasonTools.Reports.dll') 'ReasonTools.Reports.dll is not in its package'
        Assert (@(Get-Entries 'ReasonTools.Interactive') -contains 'lib/net8.0/ReasonTools.Interactive.dll') 'ReasonTools.Interactive.dll is not in its package'
    }
    Check 'the module package holds its manifest, the files it names and the natives of all six rids' {
        $entries = Get-Entries 'ReasonTools'
        Assert-Natives $entries ''
        $zip = [System.IO.Compression.ZipFile]::OpenRead((Join-Path $feed 'ReasonTools.0.1.0.nupkg'))
        $psd1 = Join-Path $cleanHome 'ReasonTools.psd1'
        try { [System.IO.Compression.ZipFileExtensions]::ExtractToFile($zip.GetEntry('ReasonTools.psd1'), $psd1) } finally { $zip.Dispose() }
        $manifest = Import-PowerShellDataFile $psd1
        $named = @($manifest.RootModule) + @($manifest.FormatsToProcess) + @('ReasonTools.Core.dll', 'ReasonTools.Reports.dll', 'en-US/ReasonTools.PowerShell.dll-Help.xml', 'en-US/about_ReasonTools.help.txt')
        foreach ($file in $named) { Assert ($entries -contains $file) "the module package lacks $file" }
    }

    Check 'a synthetic model is there to run' { Assert ([bool]$SyntheticModel) 'no synthetic model: run the xunit suite first (it leaves one in the temporary folder) or set REASONTOOLS_TEST_MODEL' }

    $tools = Join-Path $cleanHome 'tools'
    $reason = Join-Path $tools ($IsWindows ? 'reason.exe' : 'reason')
    Check 'dotnet tool install ReasonTools.Cli from the local feed' {
        # Only the local feed, so a package of the same name elsewhere can never be the one tested.
        $config = Join-Path $cleanHome 'nuget.config'
        Set-Content $config "<configuration><packageSources><clear /><add key=`"local`" value=`"$feed`" /></packageSources></configuration>"
        Assert-Ran (Invoke-Clean 'dotnet' @('tool', 'install', '--tool-path', $tools, '--configfile', $config, 'ReasonTools.Cli', '--version', '0.1.0')) 'dotnet tool install'
        Assert (Test-Path $reason) "$reason was not installed"
    }
    Check 'reason hardware --json reports this machine' {
        $run = Invoke-Clean $reason @('hardware', '--json')
        Assert-Ran $run 'reason hardware --json'
        $report = $run.Stdout | ConvertFrom-Json
        Assert ($report.cpu.logicalCores -gt 0) 'the report has no logical cores'
        Assert (@($report.models).Count -gt 0) 'the report has no model rows'
    }
    Check 'reason run answers on the synthetic model with the packaged natives' {
        $run = Invoke-Clean $reason @('run', '--model', $SyntheticModel, '--prompt', 'What is 2 + 3?', '--temperature', '0', '--context', '512', '--json')
        Assert-Ran $run 'reason run'
        $result = $run.Stdout | ConvertFrom-Json
        Assert ($result.finalAnswer -eq '5') "finalAnswer is '$($result.finalAnswer)', not '5'"
    }

    Check 'Install-PSResource ReasonTools, Import-Module by name, Invoke-Reason' {
        $script = @"
`$ErrorActionPreference = 'Stop'
Register-PSResourceRepository -Name ReasonToolsLocal -Uri '$feed' -Trusted
Install-PSResource ReasonTools -Repository ReasonToolsLocal -Scope CurrentUser -TrustRepository -Quiet
Import-Module ReasonTools
`$module = Get-Module ReasonTools
if (-not `$module.Path.StartsWith('$cleanHome')) { throw "ReasonTools was imported from `$(`$module.Path), not the clean home" }
`$result = Invoke-Reason 'What is 2 + 3?' -Model '$SyntheticModel' -Temperature 0 -ContextSize 512
"ANSWER=`$(`$result.FinalAnswer)"
"@
        $run = Invoke-Clean (Join-Path $PSHOME ($IsWindows ? 'pwsh.exe' : 'pwsh')) @('-NoProfile', '-NonInteractive', '-Command', $script)
        Assert-Ran $run 'the module install'
        Assert ($run.Stdout -match '(?m)^ANSWER=5\s*$') "Invoke-Reason did not answer 5: $($run.Stdout.Trim()) $($run.Stderr.Trim())"
    }
}
finally {
    Remove-Item $cleanHome -Recurse -Force -ErrorAction SilentlyContinue
}
"INSTALL $script:passed passed, $script:failed failed"
if ($script:failed -gt 0) { exit 1 }
