using System.Text;

namespace ReasonTools.Testing;

/// <summary>
/// The tokenizer shape of the DeepSeek-R1-Distill-Qwen GGUF files: GPT-2 byte-level BPE ("gpt2" model,
/// "deepseek-r1-qwen" pre-tokenizer), the R1 special tokens, and the updated DeepSeek chat template.
/// </summary>
public static class R1Tokenizer
{
    /// <summary>Beginning of sentence (BOS), a CONTROL token.</summary>
    public const string BeginOfSentence = "<｜begin▁of▁sentence｜>";

    /// <summary>End of sentence (EOS), a CONTROL token.</summary>
    public const string EndOfSentence = "<｜end▁of▁sentence｜>";

    /// <summary>User turn marker, a CONTROL token.</summary>
    public const string User = "<｜User｜>";

    /// <summary>Assistant turn marker, a CONTROL token.</summary>
    public const string Assistant = "<｜Assistant｜>";

    /// <summary>Opening thinking tag, a USER_DEFINED token.</summary>
    public const string ThinkOpen = "<think>";

    /// <summary>Closing thinking tag, a USER_DEFINED token.</summary>
    public const string ThinkClose = "</think>";

    /// <summary>Token type values of tokenizer.ggml.token_type (llama_token_type).</summary>
    public const int Normal = 1, Control = 3, UserDefined = 4;

    /// <summary>
    /// tokenizer.chat_template of DeepSeek-R1-Distill-Qwen (the updated tokenizer_config.json whose generation prompt
    /// ends with "&lt;｜Assistant｜&gt;&lt;think&gt;\n").
    /// </summary>
    public const string ChatTemplate = """{% if not add_generation_prompt is defined %}{% set add_generation_prompt = false %}{% endif %}{% set ns = namespace(is_first=false, is_tool=false, is_output_first=true, system_prompt='') %}{%- for message in messages %}{%- if message['role'] == 'system' %}{% set ns.system_prompt = message['content'] %}{%- endif %}{%- endfor %}{{bos_token}}{{ns.system_prompt}}{%- for message in messages %}{%- if message['role'] == 'user' %}{%- set ns.is_tool = false -%}{{'<｜User｜>' + message['content']}}{%- endif %}{%- if message['role'] == 'assistant' and message['content'] is none %}{%- set ns.is_tool = false -%}{%- for tool in message['tool_calls']%}{%- if not ns.is_first %}{{'<｜Assistant｜><｜tool▁calls▁begin｜><｜tool▁call▁begin｜>' + tool['type'] + '<｜tool▁sep｜>' + tool['function']['name'] + '\n' + '```json' + '\n' + tool['function']['arguments'] + '\n' + '```' + '<｜tool▁call▁end｜>'}}{%- set ns.is_first = true -%}{%- else %}{{'\n' + '<｜tool▁call▁begin｜>' + tool['type'] + '<｜tool▁sep｜>' + tool['function']['name'] + '\n' + '```json' + '\n' + tool['function']['arguments'] + '\n' + '```' + '<｜tool▁call▁end｜>'}}{{'<｜tool▁calls▁end｜><｜end▁of▁sentence｜>'}}{%- endif %}{%- endfor %}{%- endif %}{%- if message['role'] == 'assistant' and message['content'] is not none %}{%- if ns.is_tool %}{{'<｜tool▁outputs▁end｜>' + message['content'] + '<｜end▁of▁sentence｜>'}}{%- set ns.is_tool = false -%}{%- else %}{% set content = message['content'] %}{% if '</think>' in content %}{% set content = content.split('</think>')[-1] %}{% endif %}{{'<｜Assistant｜>' + content + '<｜end▁of▁sentence｜>'}}{%- endif %}{%- endif %}{%- if message['role'] == 'tool' %}{%- set ns.is_tool = true -%}{%- if ns.is_output_first %}{{'<｜tool▁outputs▁begin｜><｜tool▁output▁begin｜>' + message['content'] + '<｜tool▁output▁end｜>'}}{%- set ns.is_output_first = false %}{%- else %}{{'\n<｜tool▁output▁begin｜>' + message['content'] + '<｜tool▁output▁end｜>'}}{%- endif %}{%- endif %}{%- endfor -%}{% if ns.is_tool %}{{'<｜tool▁outputs▁end｜>'}}{% endif %}{% if add_generation_prompt and not ns.is_tool %}{{'<｜Assistant｜><think>\n'}}{% endif %}""";

    private static readonly char[] ByteToChar = BuildByteToChar();

    /// <summary>The GPT-2 byte-level form of <paramref name="bytes"/> (each byte one character; space is 'Ġ', newline 'Ċ').</summary>
    public static string ByteLevel(ReadOnlySpan<byte> bytes)
    {
        var sb = new StringBuilder(bytes.Length);
        foreach (var b in bytes) sb.Append(ByteToChar[b]);
        return sb.ToString();
    }

    /// <summary>The GPT-2 byte-level form of the UTF-8 bytes of <paramref name="text"/>.</summary>
    public static string ByteLevel(string text) => ByteLevel(Encoding.UTF8.GetBytes(text));

    // GPT-2 bytes_to_unicode: printable Latin-1 bytes map to themselves, the rest to U+0100 upwards in byte order.
    private static char[] BuildByteToChar()
    {
        var map = new char[256];
        var next = 256;
        for (var b = 0; b < 256; b++)
        {
            var printable = b is >= '!' and <= '~' or >= 0xA1 and <= 0xAC or >= 0xAE and <= 0xFF;
            map[b] = printable ? (char)b : (char)next++;
        }
        return map;
    }
}
