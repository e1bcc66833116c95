@{
    RootModule           = 'ReasonTools.PowerShell.dll'
    ModuleVersion        = '0.1.0'
    CompatiblePSEditions = @('Core')
    GUID                 = '5c0b7d3e-8a51-4f3e-9d47-2b6f1e9a0c84'
    Author               = 'ReasonTools contributors'
    CompanyName          = 'ReasonTools'
    Copyright            = '(c) ReasonTools contributors. MIT licence.'
    Description          = 'Run DeepSeek-R1-Distill reasoning models locally through llama.cpp: ask with Invoke-Reason, compare models with Compare-ReasonModel, check what this machine can run with Get-ReasonHardware, and save HTML reports with Export-ReasonReport.'
    PowerShellVersion    = '7.4'
    FormatsToProcess     = @('ReasonTools.format.ps1xml')
    CmdletsToExport      = @(
        'Compare-ReasonModel'
        'Export-ReasonReport'
        'Get-ReasonBackend'
        'Get-ReasonHardware'
        'Get-ReasonModel'
        'Install-ReasonBackend'
        'Invoke-Reason'
        'Save-ReasonModel'
    )
    FunctionsToExport    = @()
    VariablesToExport    = @()
    AliasesToExport      = @()
    PrivateData          = @{
        PSData = @{
            Tags       = @('DeepSeek', 'R1', 'llama.cpp', 'GGUF', 'LLM', 'Reasoning', 'Linux')
            LicenseUri = 'https://opensource.org/licenses/MIT'
        }
    }
}
