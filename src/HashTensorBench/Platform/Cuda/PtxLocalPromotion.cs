using System.Text;
using System.Text.RegularExpressions;

namespace HashTensorBench.Platform.Cuda;

/// <summary>
/// Turns ILGPU's scalar local "depots" into PTX registers. ILGPU 1.5.3 passes every inline-PTX operand (and every
/// local whose address is taken) through its own small <c>.local</c> array, reached through one 64-bit register:
/// <code>
/// .local .align 4 .b8 __local_depot7[4];
/// mov.u64 %rd12, __local_depot7;
/// st.local.u32 [%rd12], %r40;  …  ld.local.u32 %r41, [%rd12];
/// </code>
/// ptxas removes these in most kernels, but keeps them (stack frame, STL/LDL) in a function that contains
/// <c>cp.async</c>. A depot is rewritten only when it is 2, 4 or 8 bytes, its name appears only in its declaration
/// and one <c>mov</c> into a register, and that register appears nowhere but in <c>ld.local</c>/<c>st.local</c> of
/// one scalar type as wide as the depot, addressed exactly <c>[%rdN]</c>; each load becomes a <c>mov</c> from, and
/// each store a <c>mov</c> to, a new register. Anything else is left as it is; but PTX with <c>cp.async</c> and
/// depots of which none could be promoted is refused, since ptxas would keep them all in local memory.
/// </summary>
internal static partial class PtxLocalPromotion
{
    /// <summary>Rewrites <paramref name="ptx"/>; <paramref name="promoted"/> counts the depots turned into registers.</summary>
    /// <exception cref="InvalidOperationException">The PTX holds <c>cp.async</c> and depots, and none was promoted: ILGPU's
    /// output no longer has the shape this rewrite knows.</exception>
    public static string Run(string ptx, out int promoted)
    {
        string rewritten = Rewrite(ptx, out promoted);
        if (promoted == 0 && ptx.Contains("cp.async", StringComparison.Ordinal) && ptx.Contains("__local_depot", StringComparison.Ordinal))
        {
            throw new InvalidOperationException(
                "None of the local depots of PTX with cp.async could be turned into registers; ptxas would keep them in local memory. " +
                "ILGPU no longer writes them as 1.5.3 did: adapt PtxLocalPromotion.");
        }
        return rewritten;
    }

    private static string Rewrite(string ptx, out int promoted)
    {
        promoted = 0;
        var output = new StringBuilder(ptx.Length);
        int position = 0;
        // Function bodies open and close with a brace alone at the start of a line; inline PTX braces are indented.
        while (true)
        {
            int open = ptx.IndexOf("\n{", position, StringComparison.Ordinal);
            int close = open < 0 ? -1 : ptx.IndexOf("\n}", open + 2, StringComparison.Ordinal);
            if (close < 0)
            {
                output.Append(ptx, position, ptx.Length - position);
                return output.ToString();
            }
            output.Append(ptx, position, open + 2 - position);
            output.Append(RewriteBody(ptx[(open + 2)..close], ref promoted));
            position = close;
        }
    }

    private static string RewriteBody(string body, ref int promoted)
    {
        string[] lines = body.Split('\n');
        var depots = new Dictionary<string, Depot>(StringComparer.Ordinal);
        var registers = new Dictionary<string, RegisterUse>(StringComparer.Ordinal);
        for (int i = 0; i < lines.Length; i++)
        {
            string line = lines[i];
            if (line.Contains("__local_depot", StringComparison.Ordinal))
            {
                var declaration = DepotDeclaration().Match(line);
                var mov = DepotMov().Match(line);
                if (declaration.Success)
                    Get(depots, declaration.Groups["name"].Value).Declare(i, int.Parse(declaration.Groups["size"].Value));
                else if (mov.Success)
                    Get(depots, mov.Groups["name"].Value).Mov(i, mov.Groups["reg"].Value);
                else
                    foreach (Match name in DepotName().Matches(line))
                        Get(depots, name.Value).Other();
            }
            var access = LocalAccess().Match(line);
            if (access.Success)
            {
                string reg = access.Groups["reg"].Value;
                var use = registers.TryGetValue(reg, out var found) ? found : registers[reg] = new RegisterUse();
                use.Access(i, access.Groups["type"].Value);
            }
            foreach (Match reg in Register64().Matches(line))
            {
                var use = registers.TryGetValue(reg.Value, out var found) ? found : registers[reg.Value] = new RegisterUse();
                use.Occurrences++;
            }
        }

        var declarations = new StringBuilder();
        foreach (var (name, depot) in depots)
        {
            if (!depot.IsSimple || !registers.TryGetValue(depot.Register!, out var use))
                continue;
            // The mov's own occurrence plus one per access, and every access of one type as wide as the depot.
            if (use.Type is null || use.Mixed || use.Accesses.Count + 1 != use.Occurrences || Width(use.Type) != depot.Size * 8)
                continue;
            string register = "%ldp" + name["__local_depot".Length..];
            foreach (int i in use.Accesses)
            {
                var access = LocalAccess().Match(lines[i]);
                string indent = access.Groups["indent"].Value, value = access.Groups["value"].Value;
                lines[i] = access.Groups["op"].Value == "ld"
                    ? $"{indent}mov.{use.Type} {value}, {register};"
                    : $"{indent}mov.{use.Type} {register}, {value};";
            }
            lines[depot.DeclarationLine] = "";
            lines[depot.MovLine] = "";
            declarations.Append($"\t.reg .{RegisterType(use.Type)} {register};\n");
            promoted++;
        }
        if (declarations.Length == 0)
            return body;
        return "\n" + declarations + string.Join('\n', lines.Where(line => line.Length > 0));
    }

    private static Depot Get(Dictionary<string, Depot> depots, string name) =>
        depots.TryGetValue(name, out var depot) ? depot : depots[name] = new Depot();

    private static int Width(string type) => int.Parse(type.AsSpan(1));

    // Float registers keep their type (mov.f32 between .f32 registers); the others are untyped bits.
    private static string RegisterType(string type) => type[0] == 'f' ? type : "b" + type[1..];

    private sealed class Depot
    {
        private int _declarations, _movs, _others;

        public int Size { get; private set; }
        public int DeclarationLine { get; private set; }
        public int MovLine { get; private set; }
        public string? Register { get; private set; }

        public bool IsSimple => _declarations == 1 && _movs == 1 && _others == 0 && Size is 2 or 4 or 8;

        public void Declare(int line, int size)
        {
            _declarations++;
            DeclarationLine = line;
            Size = size;
        }

        public void Mov(int line, string register)
        {
            _movs++;
            MovLine = line;
            Register = register;
        }

        public void Other() => _others++;
    }

    private sealed class RegisterUse
    {
        public List<int> Accesses { get; } = [];
        public int Occurrences { get; set; }
        public string? Type { get; private set; }
        public bool Mixed { get; private set; }

        public void Access(int line, string type)
        {
            Accesses.Add(line);
            Mixed |= Type is not null && Type != type;
            Type = type;
        }
    }

    [GeneratedRegex(@"^\s*\.local\s+\.align\s+\d+\s+\.b8\s+(?<name>__local_depot\d+)\[(?<size>\d+)\];\s*$")]
    private static partial Regex DepotDeclaration();

    [GeneratedRegex(@"^\s*mov\.[bu]64\s+(?<reg>%rd\d+),\s*(?<name>__local_depot\d+);\s*$")]
    private static partial Regex DepotMov();

    [GeneratedRegex(@"__local_depot\d+")]
    private static partial Regex DepotName();

    [GeneratedRegex(@"^(?<indent>\s*)(?<op>ld|st)\.local\.(?<type>[bfsu](?:16|32|64))\s+(?:(?<value>[^,\s]+),\s*\[(?<reg>%rd\d+)\]|\[(?<reg>%rd\d+)\],\s*(?<value>[^;\s]+));\s*$")]
    private static partial Regex LocalAccess();

    [GeneratedRegex(@"%rd\d+\b")]
    private static partial Regex Register64();
}
