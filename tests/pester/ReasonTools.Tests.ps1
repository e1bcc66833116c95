#Requires -Version 7.4
# Pester 5 suite of the ReasonTools module, run by Invoke-PesterSuite.ps1 against the assembled module.
# $SyntheticModel: a scripted synthetic GGUF model (ScriptKind.ClosedChain of tests/ReasonTools.Testing), or empty;
# the tests that run a model are skipped without one.
param(
    [Parameter(Mandatory)] [string] $ModulePath,
    [string] $SyntheticModel
)

BeforeDiscovery {
    $cmdlets = 'Compare-ReasonModel', 'Export-ReasonReport', 'Get-ReasonBackend', 'Get-ReasonHardware', 'Get-ReasonModel', 'Install-ReasonBackend', 'Invoke-Reason', 'Save-ReasonModel', 'Stop-ReasonModel'
}

BeforeAll {
    $cmdlets = 'Compare-ReasonModel', 'Export-ReasonReport', 'Get-ReasonBackend', 'Get-ReasonHardware', 'Get-ReasonModel', 'Install-ReasonBackend', 'Invoke-Reason', 'Save-ReasonModel', 'Stop-ReasonModel'
    Import-Module $ModulePath -Force
}

AfterAll {
    Remove-Module ReasonTools -ErrorAction SilentlyContinue
}

Describe 'The ReasonTools module' {
    It 'exports exactly its nine cmdlets' {
        (Get-Command -Module ReasonTools).Name | Sort-Object | Should -Be $cmdlets
    }

    It 'has a valid manifest that requires PowerShell 7.4' {
        $manifest = Test-ModuleManifest $ModulePath
        $manifest.PowerShellVersion | Should -Be ([version]'7.4')
        $manifest.ExportedCmdlets.Keys | Sort-Object | Should -Be $cmdlets
    }

    It 'has the about_ReasonTools help topic' {
        Get-Help about_ReasonTools | Out-String | Should -Match 'Compare-ReasonModel'
    }
}

Describe '<_> help' -ForEach $cmdlets {
    BeforeAll {
        $help = Get-Help $_ -Full
    }

    It 'has a synopsis and a description' {
        $help.Synopsis | Should -Not -BeNullOrEmpty
        $help.Synopsis | Should -Not -Match '^\s*\S+-\S+\s*\[' # not the auto-generated syntax line
        ($help.Description | Out-String).Trim() | Should -Not -BeNullOrEmpty
    }

    It 'has at least one example that runs the cmdlet' {
        @($help.Examples.Example).Count | Should -BeGreaterThan 0
        $help.Examples.Example[0].Code | Should -Match ([regex]::Escape($_))
    }

    It 'describes every parameter' {
        $common = [System.Management.Automation.PSCmdlet]::CommonParameters + [System.Management.Automation.PSCmdlet]::OptionalCommonParameters
        foreach ($name in (Get-Command $_).Parameters.Keys | Where-Object { $_ -notin $common }) {
            $parameter = $help.Parameters.Parameter | Where-Object Name -EQ $name
            ($parameter.Description | Out-String).Trim() | Should -Not -BeNullOrEmpty -Because "-$name needs help"
        }
    }
}

Describe 'Invoke-Reason' {
    It 'takes the prompt by position and text from the pipeline' {
        $command = Get-Command Invoke-Reason
        $command.Parameters.Prompt.Attributes.Where({ $_ -is [Parameter] })[0].Position | Should -Be 0
        $command.Parameters.InputObject.Attributes.Where({ $_ -is [Parameter] })[0].ValueFromPipeline | Should -BeTrue
        $command.Parameters.Path.Aliases | Should -Contain 'FullName'
    }

    It 'completes -Model with the catalog sizes' {
        $completion = TabExpansion2 -inputScript 'Invoke-Reason -Model 1' -cursorColumn 22
        $completion.CompletionMatches.CompletionText | Should -Contain '1.5b'
    }

    It 'reports a missing model as ModelNotFound with a recommended action' {
        $failure = { Invoke-Reason 'q' -Model ./no-such-model.gguf -ErrorAction Stop } | Should -Throw -PassThru
        $failure.FullyQualifiedErrorId | Should -BeLike 'ModelNotFound,*'
        $failure.ErrorDetails.RecommendedAction | Should -Not -BeNullOrEmpty
    }

    It 'previews the exact prompt with -WhatIf without running the model' -Skip:(-not $SyntheticModel) {
        $transcript = Join-Path ([IO.Path]::GetTempPath()) "reasontools-whatif-$PID.txt"
        Start-Transcript -Path $transcript -UseMinimalHeader | Out-Null
        try { $output = 'line one', 'ERROR disk full' | Invoke-Reason 'Why did it fail?' -Model $SyntheticModel -WhatIf }
        finally { Stop-Transcript | Out-Null }
        $output | Should -BeNullOrEmpty -Because 'nothing is written to the pipeline under -WhatIf'
        $text = Get-Content $transcript -Raw
        Remove-Item $transcript
        $text | Should -Match ('What if: Run {0} on this prompt' -f [regex]::Escape((Split-Path $SyntheticModel -Leaf)))
        $text | Should -Match '(?s)Why did it fail\?\s+input:\s+```\s+line one\s+ERROR disk full'
    }

    It 'answers with a ReasonResult' -Skip:(-not $SyntheticModel) {
        $result = Invoke-Reason 'What is 2 + 3?' -Model $SyntheticModel -Temperature 0 -ContextSize 512
        $result | Should -BeOfType ([ReasonTools.Core.Inference.ReasonResult])
        $result.FinalAnswer | Should -Be '5'
    }
}

Describe 'Get-ReasonBackend and Install-ReasonBackend' {
    It 'lists the default, CUDA and Vulkan builds, exactly one of them selected' {
        $backends = Get-ReasonBackend
        $backends.Variant | Should -Be 'Default', 'Cuda', 'Vulkan'
        @($backends | Where-Object Selected).Count | Should -Be 1
        ($backends | Where-Object Variant -eq 'Default').Installed | Should -BeTrue
    }

    It 'says where to configure the npm registry when none is' {
        $saved = $env:npm_config_registry, $env:NPM_CONFIG_USERCONFIG, $env:REASONTOOLS_SETTINGS
        $env:npm_config_registry = $null
        $env:NPM_CONFIG_USERCONFIG = Join-Path $TestDrive 'no.npmrc'
        $env:REASONTOOLS_SETTINGS = Join-Path $TestDrive 'no-settings.json'
        try { $failure = { Install-ReasonBackend -Variant Vulkan -ErrorAction Stop } | Should -Throw -ErrorId 'NpmRegistryNotConfigured,*' -PassThru }
        finally { $env:npm_config_registry, $env:NPM_CONFIG_USERCONFIG, $env:REASONTOOLS_SETTINGS = $saved }
        $failure.ErrorDetails.RecommendedAction | Should -Match 'npm config set registry'
    }
}

Describe 'Get-ReasonHardware' {
    It 'returns a HardwareReport with a row per catalog model' {
        $report = Get-ReasonHardware
        $report | Should -BeOfType ([ReasonTools.Core.Hardware.HardwareReport])
        $report.Models.Count | Should -BeGreaterThan 0
        $report.Cpu.LogicalCores | Should -BeGreaterThan 0
    }

    It 'answers "can this machine run it?" for one size' {
        $verdict = Get-ReasonHardware -Model 7B
        $verdict | Should -BeOfType ([ReasonTools.PowerShell.ModelVerdict])
        $verdict.Model | Should -Be 'DeepSeek-R1-Distill-Qwen-7B'
        $verdict.Verdict | Should -Match '^(Yes|No)'
    }

    It 'says whether the family 1.5B fits beside the 32B as a draft, counting what both models need' {
        $verdict = Get-ReasonHardware -Model 32b
        $verdict.DraftModel | Should -Be 'DeepSeek-R1-Distill-Qwen-1.5B Q4_K_M'
        $verdict.DraftRequiredGB | Should -BeGreaterThan $verdict.RequiredGB
        $verdict.DraftFits | Should -Be ($verdict.CanRun -and $verdict.DraftRequiredGB -le $verdict.AllowedGB)
        if ($verdict.CanRun) { $verdict.Verdict | Should -Match 'draft \(speculative decoding\)|A draft for speculative decoding' }
        (Get-ReasonHardware -Model 1.5b).DraftModel | Should -BeNullOrEmpty
    }

    It 'refuses an unknown model with UnknownModel' {
        { Get-ReasonHardware -Model 99b -ErrorAction Stop } | Should -Throw -ErrorId 'UnknownModel,*'
    }
}

# The model locator pointed at a temporary tree instead of this machine's model folders.
Describe 'Get-ReasonModel and Save-ReasonModel' {
    BeforeAll {
        $saved = @{}
        foreach ($name in 'REASONTOOLS_MODELS', 'REASONTOOLS_SETTINGS', 'XDG_DATA_HOME', 'OLLAMA_MODELS', 'HF_HUB_CACHE', 'HF_HOME') {
            $saved[$name] = [Environment]::GetEnvironmentVariable($name)
        }
        $root = Join-Path ([IO.Path]::GetTempPath()) "reasontools-pester-models-$PID"
        $models = Join-Path $root 'models'
        New-Item -ItemType Directory -Path $models -Force | Out-Null
        $env:REASONTOOLS_MODELS = $models
        $env:REASONTOOLS_SETTINGS = Join-Path $root 'settings.json'
        $env:XDG_DATA_HOME = Join-Path $root 'data'
        $env:OLLAMA_MODELS = Join-Path $root 'ollama'
        $env:HF_HUB_CACHE = Join-Path $root 'hf'
        $env:HF_HOME = $null
    }

    AfterAll {
        foreach ($name in $saved.Keys) { [Environment]::SetEnvironmentVariable($name, $saved[$name]) }
        Remove-Item $root -Recurse -Force -ErrorAction SilentlyContinue
    }

    It 'finds nothing in an empty tree, and a missing size is ModelNotDownloaded naming Save-ReasonModel' {
        Get-ReasonModel | Should -BeNullOrEmpty
        $failure = { Invoke-Reason 'q' -Model 7b -ErrorAction Stop } | Should -Throw -PassThru
        $failure.FullyQualifiedErrorId | Should -BeLike 'ModelNotDownloaded,*'
        $failure.ErrorDetails.RecommendedAction | Should -Match 'Save-ReasonModel -Model 7B'
    }

    It 'lists a model of the configured folder and filters by name' -Skip:(-not $SyntheticModel) {
        $file = Join-Path $models 'DeepSeek-R1-Distill-Qwen-1.5B-Q4_K_M.gguf'
        Copy-Item $SyntheticModel $file
        try {
            $entry = Get-ReasonModel
            $entry | Should -BeOfType ([ReasonTools.Core.Models.ModelListingEntry])
            $entry.Path | Should -Be $file
            $entry.Source | Should -Be 'configured'
            Get-ReasonModel -Name '*1.5B*' | Should -Not -BeNullOrEmpty
            Get-ReasonModel -Name '*70B*' | Should -BeNullOrEmpty
        }
        finally { Remove-Item $file }
    }

    It 'shows what Save-ReasonModel -WhatIf would download, and downloads nothing' {
        $target = Join-Path $root 'save-target'
        $transcript = Join-Path ([IO.Path]::GetTempPath()) "reasontools-save-whatif-$PID.txt"
        Start-Transcript -Path $transcript -UseMinimalHeader | Out-Null
        try { $output = Save-ReasonModel 1.5B -Quantization Q8_0 -Path $target -WhatIf }
        finally { Stop-Transcript | Out-Null }
        $output | Should -BeNullOrEmpty
        $text = Get-Content $transcript -Raw
        Remove-Item $transcript
        $text | Should -Match 'What if: Download DeepSeek-R1-Distill-Qwen-1\.5B Q8_0 \('
        Test-Path $target | Should -BeFalse
    }

    It 'refuses a model outside the catalog with UnknownModel' {
        { Save-ReasonModel 99b -WhatIf -ErrorAction Stop } | Should -Throw -ErrorId 'UnknownModel,*'
    }
}

Describe 'Compare-ReasonModel' {
    It 'refuses sizes outside the catalog' {
        { Compare-ReasonModel -Size 3B -Prompt 'q' -ErrorAction Stop } | Should -Throw -ErrorId 'ParameterArgumentValidationError,*'
    }
}

Describe 'Export-ReasonReport' {
    It 'writes a self-contained HTML report and passes its FileInfo' {
        $path = Join-Path ([IO.Path]::GetTempPath()) "reasontools-pester-$PID.html"
        try {
            $file = Get-ReasonHardware | Export-ReasonReport -Path $path -PassThru
            $file | Should -BeOfType ([IO.FileInfo])
            Get-Content $path -Raw | Should -Match '<!DOCTYPE html>'
        }
        finally { Remove-Item $path -ErrorAction SilentlyContinue }
    }
}
