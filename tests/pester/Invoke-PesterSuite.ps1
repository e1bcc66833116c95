#Requires -Version 7.4
<#
.SYNOPSIS
    Runs the Pester suite of the ReasonTools module and ends with one line: PESTER <n> passed, <n> failed.
.DESCRIPTION
    Imports Pester 5 (an installed one, else the copy the test project's restore puts into the NuGet cache),
    runs every *.Tests.ps1 beside this script against the assembled module (artifacts/module/ReasonTools, built by
    `dotnet build`), and prints the totals. Exits 1 when a test failed or the suite could not run.
.PARAMETER ModulePath
    The module manifest to test.
.PARAMETER SyntheticModel
    A scripted synthetic GGUF model (the ClosedChain script of tests/ReasonTools.Testing) for the tests that run a
    model. By default $env:REASONTOOLS_TEST_MODEL, else one the xunit suite left in the temporary folder; those tests
    are skipped when there is none.
#>
[CmdletBinding()]
param(
    [string] $ModulePath = (Join-Path $PSScriptRoot '../../artifacts/module/ReasonTools/ReasonTools.psd1'),
    [string] $SyntheticModel = (@($env:REASONTOOLS_TEST_MODEL) + @(
            Get-ChildItem ([IO.Path]::GetTempPath()) -Directory -Filter 'reasontools-synthetic*' -ErrorAction SilentlyContinue |
                Get-ChildItem -Filter 'r1-synthetic-ClosedChain*.gguf' | Where-Object Name -NotLike '*-draft-*' | Sort-Object LastWriteTime -Descending | ForEach-Object FullName) |
            Where-Object { $_ -and (Test-Path $_) } | Select-Object -First 1)
)
$ErrorActionPreference = 'Stop'

function Find-Pester {
    $installed = Get-Module -ListAvailable Pester | Where-Object { $_.Version -ge [version]'5.0' } | Sort-Object Version -Descending | Select-Object -First 1
    if ($installed) { return $installed.Path }
    $cache = if ($env:NUGET_PACKAGES) { $env:NUGET_PACKAGES } else { Join-Path ([Environment]::GetFolderPath('UserProfile')) '.nuget/packages' }
    Get-ChildItem (Join-Path $cache 'pester') -Directory -ErrorAction SilentlyContinue |
        Where-Object { $_.Name -like '5.*' } |
        Sort-Object { [version]($_.Name -replace '-.*$') } -Descending |
        ForEach-Object { Join-Path $_.FullName 'tools/Pester.psd1' } |
        Where-Object { Test-Path $_ } |
        Select-Object -First 1
}

$pester = Find-Pester
if (-not $pester) {
    Write-Host 'Pester 5 was not found (Install-Module Pester, or restore tests/ReasonTools.PowerShell.Tests, which downloads it).'
    'PESTER 0 passed, 1 failed'
    exit 1
}
if (-not (Test-Path $ModulePath)) {
    Write-Host "The module is not built: $ModulePath is missing (run dotnet build first)."
    'PESTER 0 passed, 1 failed'
    exit 1
}
Import-Module $pester -MinimumVersion 5.0

$configuration = New-PesterConfiguration
$configuration.Run.Path = $PSScriptRoot
$configuration.Run.PassThru = $true
$configuration.Output.Verbosity = 'Normal'
$configuration.Run.Container = New-PesterContainer -Path (Join-Path $PSScriptRoot '*.Tests.ps1') -Data @{ ModulePath = (Resolve-Path $ModulePath).Path; SyntheticModel = $SyntheticModel }
$result = Invoke-Pester -Configuration $configuration

"PESTER $($result.PassedCount) passed, $($result.FailedCount + $result.FailedBlocksCount + $result.FailedContainersCount) failed"
if ($result.Result -ne 'Passed') { exit 1 }
