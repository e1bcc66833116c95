using Microsoft.DotNet.Interactive;

namespace ReasonTools.Interactive;

/// <summary>
/// What <c>#r "nuget: ReasonTools.Interactive"</c> adds to a notebook (its extension.dib calls this): the result
/// formatters, the <c>#!reason</c> kernel (the cell's body is the prompt) and the <c>#!reason-compare</c> and
/// <c>#!reason-hardware</c> magic commands. Everything runs in the notebook's process through the core.
/// </summary>
public sealed class ReasonKernelExtension : IKernelExtension
{
    /// <summary>Adds everything to the root <see cref="CompositeKernel"/> <paramref name="kernel"/> belongs to; loading it again changes nothing.</summary>
    public Task OnLoadAsync(Kernel kernel)
    {
        ArgumentNullException.ThrowIfNull(kernel);
        ReasonFormatters.Register();
        if ((kernel.RootKernel as CompositeKernel ?? kernel as CompositeKernel) is not { } root)
            throw new InvalidOperationException("The ReasonTools magic commands need a notebook's composite kernel.");
        if (root.FindKernelByName(ReasonKernel.DefaultName) is not null) return Task.CompletedTask;

        // Cells can run at once (a cell started while another streams): they share a resident model's batch.
        Core.Hosting.ModelHost.Shared.ServesConcurrentCallers = true;
        CellValues.ReferenceResultTypes(root);
        var models = new ResidentModels();
        var reason = new ReasonKernel(models);
        reason.RegisterForDisposal(models);
        root.Add(reason);
        CompareDirective.AddTo(root);
        HardwareDirective.AddTo(root);

        if (KernelInvocationContext.Current is { } context)
            context.DisplayAs(Describe(), PlainTextMime);
        return Task.CompletedTask;
    }

    /// <summary>The line a notebook shows once the extension is loaded.</summary>
    public static string Describe() =>
        "ReasonTools loaded: #!reason [--model M] [--max-tokens N] [--temperature T] [--seed S] (the cell's text is the prompt), " +
        "#!reason-compare --model A --model B --prompts FILE, #!reason-hardware [--model 32b]. The last result of #!reason is the C# variable reasonResult.";

    private const string PlainTextMime = "text/plain";
}
