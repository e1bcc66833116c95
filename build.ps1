#Requires -Version 7.4
<#
.SYNOPSIS
    Builds, tests, assembles and packs ReasonTools, the same way on Windows, macOS and Linux.
.DESCRIPTION
    Build   dotnet build of the solution (Release); the first build fetches the pinned llama.cpp libraries
            (build/fetch-llama.ps1, through npm) and assembles the module folder artifacts/module/ReasonTools.
    Test    every xunit project, the Pester suite, then Pack and the install checks of what it made
            (build/Test-Install.ps1); ends with one line "N passed, N failed, N skipped".
    Module  the module folder with the natives of every shipped rid, in artifacts/pack/module/ReasonTools.
    Pack    the NuGet packages ReasonTools.Core (natives as runtimes/<rid>/native for linux-x64, linux-arm64,
            win-x64, win-arm64, osx-arm64, osx-x64), ReasonTools.Reports, ReasonTools.Interactive, the .NET tool
            ReasonTools.Cli (command `reason`), and the module as a PowerShell Gallery package (Publish-PSResource),
            all into the local feed artifacts/packages.
    All     Build, then Test (which packs).
    bash build/test.sh runs the same steps (CI calls it).
.EXAMPLE
    ./build.ps1 -Task Pack
#>
[CmdletBinding()]
param(
    [ValidateSet('Build', 'Test', 'Pack', 'Module', 'All')] [string] $Task = 'Build',
    [string] $Configuration = 'Release'
)
$ErrorActionPreference = 'Stop'
Set-StrictMode -Version 3
$root = $PSScriptRoot
$packages = Join-Path $root 'artifacts/packages'
$packModule = Join-Path $root 'artifacts/pack/module/ReasonTools'

function Invoke-Dotnet {
    & dotnet @args | Out-Host
    if ($LASTEXITCODE -ne 0) { throw "dotnet $($args -join ' ') failed with exit code $LASTEXITCODE" }
}

function Invoke-Build { Invoke-Dotnet build (Join-Path $root 'ReasonTools.sln') -c $Configuration }

function Invoke-Module {
    Invoke-Dotnet build (Join-Path $root 'src/ReasonTools.PowerShell') -c $Configuration '-p:LlamaNativeRids=all' "-p:ReasonModuleDir=$packModule"
    $packModule
}

function Invoke-Pack {
    $null = New-Item -ItemType Directory -Path $packages -Force
    Get-ChildItem $packages -Filter 'ReasonTools*.nupkg' | Remove-Item
    foreach ($project in 'ReasonTools.Core', 'ReasonTools.Reports', 'ReasonTools.Interactive', 'ReasonTools.Cli') {
        Invoke-Dotnet pack (Join-Path $root "src/$project") -c $Configuration '-p:LlamaNativeRids=all'
    }
    $module = Invoke-Module
    # A file repository registered for this publish only, so the user's repositories are left as they were.
    $repository = 'ReasonToolsBuild-' + [guid]::NewGuid().ToString('n').Substring(0, 8)
    Register-PSResourceRepository -Name $repository -Uri $packages -Trusted
    try { Publish-PSResource -Path $module -Repository $repository -SkipDependenciesCheck }
    finally { Unregister-PSResourceRepository -Name $repository }
    Get-ChildItem $packages -Filter '*.nupkg' | ForEach-Object { "pack: $($_.FullName) ($([math]::Round($_.Length / 1MB)) MB)" }
}

function Invoke-Test {
    $results = Join-Path $root 'artifacts/test-results'
    Remove-Item $results -Recurse -Force -ErrorAction SilentlyContinue
    $null = New-Item -ItemType Directory -Path $results
    & dotnet test (Join-Path $root 'ReasonTools.sln') -c $Configuration --logger trx --results-directory $results
    $dotnetExit = $LASTEXITCODE
    $passed = 0; $failed = 0; $skipped = 0
    foreach ($trx in Get-ChildItem $results -Filter '*.trx') {
        $counters = ([xml](Get-Content $trx.FullName -Raw)).TestRun.ResultSummary.Counters
        $passed += [int]$counters.passed; $failed += [int]$counters.failed; $skipped += [int]$counters.total - [int]$counters.executed
    }
    foreach ($suite in @(
            @{ Script = 'tests/pester/Invoke-PesterSuite.ps1'; Tag = 'PESTER' },
            @{ Script = 'build/Test-Install.ps1'; Tag = 'INSTALL' })) {
        if ($suite.Tag -eq 'INSTALL') { Invoke-Pack | Out-Host }
        & (Join-Path $PSHOME ($IsWindows ? 'pwsh.exe' : 'pwsh')) -NoProfile -NonInteractive -File (Join-Path $root $suite.Script) | Tee-Object -Variable output | Out-Host
        $summary = @($output) -match "^$($suite.Tag) (\d+) passed, (\d+) failed$" | Select-Object -Last 1
        if ($summary -match '(\d+) passed, (\d+) failed') { $passed += [int]$Matches[1]; $failed += [int]$Matches[2] }
        else { Write-Host "$($suite.Tag): the suite did not report a result"; $failed++ }
    }
    if ($dotnetExit -ne 0 -and $failed -eq 0) { Write-Host "dotnet test exited with $dotnetExit without a failed test (build error?)"; $failed = 1 }
    "$passed passed, $failed failed, $skipped skipped"
    if ($failed -gt 0) { exit 1 }
}

switch ($Task) {
    'Build' { Invoke-Build }
    'Module' { Invoke-Module }
    'Pack' { Invoke-Pack }
    'Test' { Invoke-Test }
    'All' { Invoke-Build; Invoke-Test }
}
