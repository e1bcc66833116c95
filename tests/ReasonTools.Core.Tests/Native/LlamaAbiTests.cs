using System.Diagnostics;
using System.Reflection;
using System.Runtime.InteropServices;
using System.Text;
using ReasonTools.Core.Native;

namespace ReasonTools.Core.Tests.Native;

/// <summary>
/// Compiles a C program against llama.h of the pinned build and compares every size and field offset
/// it reports with our declarations, so ABI drift fails here rather than in a user's process.
/// </summary>
public sealed class LlamaAbiTests
{
    private static readonly (string CStruct, Type Managed, (string C, string Cs)[] Fields)[] Structs =
    [
        ("struct llama_model_params", typeof(LlamaModelParams), [
            ("devices", "Devices"), ("tensor_buft_overrides", "TensorBuftOverrides"), ("n_gpu_layers", "NGpuLayers"),
            ("split_mode", "SplitMode"), ("load_mode", "LoadMode"), ("lazy_mode", "LazyMode"), ("main_gpu", "MainGpu"),
            ("tensor_split", "TensorSplit"), ("progress_callback", "ProgressCallback"),
            ("progress_callback_user_data", "ProgressCallbackUserData"), ("kv_overrides", "KvOverrides"),
            ("vocab_only", "VocabOnly"), ("check_tensors", "CheckTensors"), ("use_extra_bufts", "UseExtraBufts"),
            ("no_host", "NoHost"), ("no_alloc", "NoAlloc"), ("load_mtp", "LoadMtp")]),
        ("struct llama_context_params", typeof(LlamaContextParams), [
            ("n_ctx", "NCtx"), ("n_batch", "NBatch"), ("n_ubatch", "NUbatch"), ("n_seq_max", "NSeqMax"), ("n_rs_seq", "NRsSeq"),
            ("n_outputs_max", "NOutputsMax"), ("n_outputs_max_per_seq", "NOutputsMaxPerSeq"), ("n_threads", "NThreads"),
            ("n_threads_batch", "NThreadsBatch"), ("ctx_type", "ContextType"), ("rope_scaling_type", "RopeScalingType"),
            ("pooling_type", "PoolingType"), ("attention_type", "AttentionType"), ("flash_attn_type", "FlashAttnType"),
            ("rope_freq_base", "RopeFreqBase"), ("rope_freq_scale", "RopeFreqScale"), ("yarn_ext_factor", "YarnExtFactor"),
            ("yarn_attn_factor", "YarnAttnFactor"), ("yarn_beta_fast", "YarnBetaFast"), ("yarn_beta_slow", "YarnBetaSlow"),
            ("yarn_orig_ctx", "YarnOrigCtx"), ("defrag_thold", "DefragThold"), ("cb_eval", "CbEval"),
            ("cb_eval_user_data", "CbEvalUserData"), ("type_k", "TypeK"), ("type_v", "TypeV"),
            ("abort_callback", "AbortCallback"), ("abort_callback_data", "AbortCallbackData"), ("embeddings", "Embeddings"),
            ("offload_kqv", "OffloadKqv"), ("no_perf", "NoPerf"), ("op_offload", "OpOffload"), ("swa_full", "SwaFull"),
            ("kv_unified", "KvUnified"), ("samplers", "Samplers"), ("n_samplers", "NSamplers"), ("ctx_other", "CtxOther")]),
        ("struct llama_batch", typeof(LlamaBatch), [
            ("n_tokens", "NTokens"), ("token", "Token"), ("embd", "Embd"), ("pos", "Pos"), ("n_seq_id", "NSeqId"),
            ("seq_id", "SeqId"), ("logits", "Logits")]),
        ("struct llama_token_data", typeof(LlamaTokenData), [("id", "Id"), ("logit", "Logit"), ("p", "P")]),
        ("struct llama_token_data_array", typeof(LlamaTokenDataArray), [
            ("data", "Data"), ("size", "Size"), ("selected", "Selected"), ("sorted", "Sorted")]),
        ("struct llama_chat_message", typeof(LlamaChatMessage), [("role", "Role"), ("content", "Content")]),
        ("struct llama_perf_context_data", typeof(LlamaPerfContextData), [
            ("t_start_ms", "TStartMs"), ("t_load_ms", "TLoadMs"), ("t_p_eval_ms", "TPromptEvalMs"), ("t_eval_ms", "TEvalMs"),
            ("n_p_eval", "NPromptEval"), ("n_eval", "NEval"), ("n_reused", "NReused")]),
        ("struct llama_sampler_chain_params", typeof(LlamaSamplerChainParams), [("no_perf", "NoPerf")]),
        ("struct llama_model_quantize_params", typeof(LlamaModelQuantizeParams), [
            ("nthread", "NThread"), ("ftype", "FileType"), ("output_tensor_type", "OutputTensorType"),
            ("token_embedding_type", "TokenEmbeddingType"), ("allow_requantize", "AllowRequantize"),
            ("quantize_output_tensor", "QuantizeOutputTensor"), ("only_copy", "OnlyCopy"), ("pure", "Pure"),
            ("keep_split", "KeepSplit"), ("dry_run", "DryRun"), ("imatrix", "Imatrix"), ("kv_overrides", "KvOverrides"),
            ("tt_overrides", "TtOverrides"), ("prune_layers", "PruneLayers"), ("max_buf_size", "MaxBufSize")]),
        ("struct ggml_backend_dev_props", typeof(GgmlBackendDevProps), [
            ("name", "Name"), ("description", "Description"), ("memory_free", "MemoryFree"), ("memory_total", "MemoryTotal"),
            ("type", "Type"), ("device_id", "DeviceId"), ("caps", "Caps")]),
        ("struct ggml_backend_dev_caps", typeof(GgmlBackendDevCaps), [
            ("async", "Async"), ("host_buffer", "HostBuffer"), ("buffer_from_host_ptr", "BufferFromHostPtr"),
            ("events", "Events"), ("mmap_support", "MmapSupport")]),
    ];

    private static readonly Lazy<Dictionary<string, long>> NativeLayout = new(CompileAndRunLayoutProgram);

    public static TheoryData<string> StructNames() => new(Structs.Select(s => s.CStruct));

    [Theory]
    [MemberData(nameof(StructNames))]
    public void Struct_size_matches_the_C_compiler(string cStruct)
    {
        var (_, managed, _) = Structs.Single(s => s.CStruct == cStruct);
        var native = NativeLayout.Value[$"{cStruct} sizeof"];
        Assert.Equal(native, Marshal.SizeOf(managed));
        Assert.Equal(native, ManagedSize(managed));
    }

    [Theory]
    [MemberData(nameof(StructNames))]
    public void Every_field_offset_matches_the_C_compiler(string cStruct)
    {
        var (_, managed, fields) = Structs.Single(s => s.CStruct == cStruct);
        // Every managed field is mapped, so a field we add or forget cannot slip past this test.
        var declared = managed.GetFields(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic).Select(f => f.Name).Order();
        Assert.Equal(declared, fields.Select(f => f.Cs).Order());
        foreach (var (c, cs) in fields)
        {
            var native = NativeLayout.Value[$"{cStruct} {c}"];
            Assert.True(native == (long)Marshal.OffsetOf(managed, cs), $"{cStruct}.{c}: C offset {native}, Marshal offset {Marshal.OffsetOf(managed, cs)}");
        }
    }

    [Fact]
    public void The_layout_program_reports_every_declared_field()
    {
        // Guards the test itself: a C field that no longer exists would fail compilation, not pass silently.
        Assert.Equal(Structs.Sum(s => s.Fields.Length + 1), NativeLayout.Value.Count);
    }

    [Fact]
    public void Every_struct_the_bindings_declare_is_compared()
    {
        // A struct added to the bindings without a row above would go unchecked against the header.
        var declared = typeof(LlamaNativeLibrary).Assembly.GetTypes()
            .Where(t => t.Namespace == typeof(LlamaNativeLibrary).Namespace && t is { IsValueType: true, IsEnum: false, IsNested: false })
            .Where(t => t.IsLayoutSequential || t.IsExplicitLayout)
            // Windows' job-object structs (Kernel32.cs) are not llama.cpp's: Kernel32LayoutTests check them.
            .Where(t => t != typeof(JobObjectBasicLimitInformation) && t != typeof(IoCounters) && t != typeof(JobObjectExtendedLimitInformation) && t != typeof(JobObjectBasicUiRestrictions))
            .Where(t => t.GetCustomAttributes().All(a => a.GetType().Namespace != "System.Runtime.CompilerServices"))
            .Select(t => t.Name).Order();
        Assert.Equal(declared, Structs.Select(s => s.Managed.Name).Order());
    }

    [Fact]
    public void Every_imported_function_is_exported_by_the_pinned_libraries()
    {
        // A function renamed or removed between releases fails here, not at the first call in a user's process.
        var folder = LlamaNativeLibrary.EnsureLoaded();
        var missing = new List<string>();
        var imports = typeof(LlamaNativeLibrary).Assembly.GetTypes()
            .SelectMany(t => t.GetMethods(BindingFlags.Static | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly))
            .Select(m => (Method: m, Import: m.GetCustomAttribute<LibraryImportAttribute>()))
            .Where(m => m.Import?.LibraryName is LlamaNativeLibrary.LlamaName or LlamaNativeLibrary.GgmlName or LlamaNativeLibrary.GgmlBaseName)
            .ToList();
        Assert.NotEmpty(imports);
        foreach (var (method, import) in imports)
        {
            var path = LlamaNativeLibrary.FindFile(folder, import!.LibraryName);
            Assert.True(path is not null, $"lib{import.LibraryName} is missing from {folder}");
            var entry = import.EntryPoint ?? method.Name;
            if (!NativeLibrary.TryGetExport(NativeLibrary.Load(path!), entry, out _)) missing.Add($"{import.LibraryName}:{entry}");
        }
        Assert.Empty(missing);
    }

    private static int ManagedSize(Type t) =>
        (int)typeof(System.Runtime.CompilerServices.Unsafe).GetMethod(nameof(System.Runtime.CompilerServices.Unsafe.SizeOf))!
            .MakeGenericMethod(t).Invoke(null, null)!;

    private static Dictionary<string, long> CompileAndRunLayoutProgram()
    {
        var source = typeof(LlamaAbiTests).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .Single(a => a.Key == "LlamaSourceDir").Value!;
        Assert.True(File.Exists(Path.Combine(source, "include", "llama.h")), $"llama.h of the pinned build is missing under {source}; the test project's build fetches it.");

        var c = new StringBuilder("#include <stdio.h>\n#include <stddef.h>\n#include \"llama.h\"\nint main(void) {\n");
        foreach (var (cStruct, _, fields) in Structs)
        {
            c.Append($"  printf(\"%s sizeof %zu\\n\", \"{cStruct}\", sizeof({cStruct}));\n");
            foreach (var (field, _) in fields)
                c.Append($"  printf(\"%s {field} %zu\\n\", \"{cStruct}\", offsetof({cStruct}, {field}));\n");
        }
        c.Append("  return 0;\n}\n");

        var dir = Directory.CreateTempSubdirectory("reasontools-abi-");
        try
        {
            var file = Path.Combine(dir.FullName, "layout.c");
            var exe = Path.Combine(dir.FullName, "layout");
            File.WriteAllText(file, c.ToString());
            Run("gcc", $"-std=c11 -I \"{source}/include\" -I \"{source}/ggml/include\" -o \"{exe}\" \"{file}\"");
            var output = Run(exe, "");
            var layout = new Dictionary<string, long>();
            foreach (var line in output.Split('\n', StringSplitOptions.RemoveEmptyEntries))
            {
                var cut = line.LastIndexOf(' ');
                layout[line[..cut]] = long.Parse(line[(cut + 1)..]);
            }
            return layout;
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    private static string Run(string file, string arguments)
    {
        using var process = Process.Start(new ProcessStartInfo(file, arguments) { RedirectStandardOutput = true, RedirectStandardError = true })!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, $"{file} {arguments} failed: {stderr}");
        return stdout.Result;
    }
}
