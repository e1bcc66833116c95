<#
.SYNOPSIS
    Fetches the pinned llama.cpp build into a cache outside the repository, once (every OS, PowerShell 7 or 5.1).
.DESCRIPTION
    -Mode Libs   -> <CacheRoot>/llama/<Version>/<package>/  (libllama, libggml*, one ggml-cpu-* per CPU family)
       Package: linux-x64, linux-arm64, win-x64, win-arm64, mac-arm64-metal, mac-x64, and the GPU builds
       linux-x64-cuda|vulkan, win-x64-cuda|vulkan. A *-cuda package keeps its GPU backend in a companion *-cuda-ext
       package (npm's size limit); both are unpacked into the one folder, as ggml loads backends from one folder.
    -Mode Source -> <CacheRoot>/llama/<Version>/source     (the llama.cpp tree of node-llama-cpp's git bundle)
    npm (Node.js) fetches the packages, so its own registry configuration applies. Safe to run from several builds
    at once: each fills a private temporary folder and renames it into place in one step.
.EXAMPLE
    pwsh build/fetch-llama.ps1 -Mode Libs -CacheRoot ~/.cache/reasontools -Version 3.21.1 -Package linux-x64,win-x64
#>
param(
    [Parameter(Mandatory)] [ValidateSet('Libs', 'Source')] [string] $Mode,
    [Parameter(Mandatory)] [string] $CacheRoot,
    [Parameter(Mandatory)] [string] $Version,
    # Comma-separated names are accepted too, as MSBuild passes one string.
    [string[]] $Package = @('linux-x64')
)
$ErrorActionPreference = 'Stop'
Set-StrictMode -Version 3

function Fail([string] $message) { [Console]::Error.WriteLine("fetch-llama: $message"); exit 1 }

function Invoke-NpmPack([string] $spec, [string] $into) {
    if (-not (Get-Command npm -ErrorAction SilentlyContinue)) {
        Fail "npm is needed to fetch $spec (install Node.js), or set REASONTOOLS_LLAMA_PATH to a folder holding libllama"
    }
    [Console]::Error.WriteLine("fetch-llama: fetching $spec")
    Push-Location $into
    try { $null = & npm pack --silent $spec 2>&1; $ok = $LASTEXITCODE -eq 0 } finally { Pop-Location }
    $tgz = @(Get-ChildItem -LiteralPath $into -Filter '*.tgz')
    if (-not $ok -or $tgz.Count -ne 1) { Fail "npm could not fetch $spec (is this version published for that platform?)" }
    $unpacked = Join-Path $into 'unpacked'
    $null = New-Item -ItemType Directory -Path $unpacked
    # tar ships with Windows 10+, macOS and Linux.
    & tar -xzf $tgz[0].FullName -C $unpacked
    if ($LASTEXITCODE -ne 0) { Fail "could not unpack $($tgz[0].Name)" }
    Join-Path $unpacked 'package'
}

# Renames a complete folder into place; when another build won the race its copy is complete and ours is dropped.
function Publish-Folder([string] $from, [string] $to) {
    $null = New-Item -ItemType File -Path (Join-Path $from '.complete') -Force
    try { [System.IO.Directory]::Move($from, $to) }
    catch [System.IO.IOException] {
        if (-not (Test-Path -LiteralPath (Join-Path $to '.complete'))) { Fail "could not place $to ($($_.Exception.Message))" }
    }
}

$base = Join-Path (Join-Path $CacheRoot 'llama') $Version
$null = New-Item -ItemType Directory -Path $base -Force
$packages = @($Package | ForEach-Object { $_ -split ',' } | ForEach-Object { $_.Trim() } | Where-Object { $_ })
$targets = if ($Mode -eq 'Source') { @('source') } else { $packages }

foreach ($target in $targets) {
    $dest = Join-Path $base $target
    if (Test-Path -LiteralPath (Join-Path $dest '.complete')) { continue }
    $work = Join-Path $base ('.fetch.' + [System.IO.Path]::GetRandomFileName())
    $out = Join-Path $work 'out'
    $null = New-Item -ItemType Directory -Path $out -Force
    try {
        if ($Mode -eq 'Source') {
            $pack = Join-Path $work 'pack'
            $null = New-Item -ItemType Directory -Path $pack
            $root = Invoke-NpmPack "node-llama-cpp@$Version" $pack
            & git clone --quiet (Join-Path $root 'llama/gitRelease.bundle') $out 2>$null
            if ($LASTEXITCODE -ne 0) { Fail "git could not clone llama.cpp from node-llama-cpp@$Version's bundle" }
            Remove-Item -LiteralPath (Join-Path $out '.git') -Recurse -Force
        }
        else {
            $specs = @("@node-llama-cpp/$target@$Version")
            if ($target -like '*-cuda') { $specs += "@node-llama-cpp/$target-ext@$Version" }
            foreach ($spec in $specs) {
                $pack = Join-Path $work ('pack.' + [System.IO.Path]::GetRandomFileName())
                $null = New-Item -ItemType Directory -Path $pack
                $root = Invoke-NpmPack $spec $pack
                $libraries = @(Get-ChildItem -LiteralPath (Join-Path $root 'bins') -Recurse -Depth 1 -File |
                    Where-Object { $_.Extension -in '.so', '.dylib', '.dll', '.metal' -and $_.Name -ne 'llama-addon.node' })
                if ($libraries.Count -eq 0) { Fail "$spec holds no libraries" }
                $libraries | Copy-Item -Destination $out
            }
        }
        Publish-Folder $out $dest
        [Console]::Error.WriteLine("fetch-llama: $dest")
    }
    finally {
        Remove-Item -LiteralPath $work -Recurse -Force -ErrorAction SilentlyContinue
    }
}
