using System.Text.RegularExpressions;
using HashTensorBench.Tests.TestData;

namespace HashTensorBench.Tests;

/// <summary>README's "What it does" table and "Layout" section name the tree as it is: a folder added, moved or removed fails here.</summary>
public partial class ReadmeLayoutTests
{
    private static readonly string s_readme = File.ReadAllText(Path.Combine(Repository.Root, "README.md")).ReplaceLineEndings("\n");

    private static string Section(string heading)
    {
        int start = s_readme.IndexOf("\n## " + heading + "\n", StringComparison.Ordinal);
        Assert.True(start >= 0, $"README has no section \"{heading}\"");
        int end = s_readme.IndexOf("\n## ", start + 1, StringComparison.Ordinal);
        return end < 0 ? s_readme[start..] : s_readme[start..end];
    }

    // The folders under root (relative, with '/') that hold files of their own, build outputs aside.
    private static string[] Folders(string root, string pattern) =>
    [
        .. Directory.EnumerateFiles(root, pattern, SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(root, Path.GetDirectoryName(f)!).Replace('\\', '/'))
            .Where(f => f != "." && !f.Split('/').Any(part => part is "bin" or "obj"))
            .Distinct().Order(StringComparer.Ordinal),
    ];

    [Fact]
    public void The_what_it_does_table_has_one_row_per_library_folder_and_none_for_a_folder_that_is_gone()
    {
        string library = Path.Combine(Repository.Root, "src", "HashTensorBench");
        string[] rows = [.. TableRow().Matches(Section("What it does")).Select(m => m.Groups[1].Value).Order(StringComparer.Ordinal)];
        Assert.Equal(Folders(library, "*.cs"), rows);
    }

    [Fact]
    public void The_layout_names_every_folder_of_bench_and_docs()
    {
        string layout = Section("Layout");
        foreach (string parent in new[] { "bench", "docs" })
        {
            foreach (string entry in Directory.EnumerateFileSystemEntries(Path.Combine(Repository.Root, parent)).Select(Path.GetFileName).OfType<string>())
                Assert.Contains($"`{parent}/{entry}", layout, StringComparison.Ordinal);
        }
    }

    // A row of the table: | `Folder/Sub/` | … |
    [GeneratedRegex(@"^\| `([A-Za-z/]+)/` \|", RegexOptions.Multiline)]
    private static partial Regex TableRow();
}
