using CowGuard.Scenarios.LiveKernel.Translation;
using Xunit;

namespace CowGuard.Scenarios.Tests.LiveKernel.Translation;

public sealed class CTextTests
{
    [Theory]
    [InlineData("ok", "\"ok\"")]
    [InlineData("a\"b", "\"a\\\"b\"")]
    [InlineData("a\\b", "\"a\\\\b\"")]
    [InlineData("??=", "\"\\?\\?=\"")]
    [InlineData("tab\there", "\"tab\\011here\"")]
    [InlineData("line\nbreak", "\"line\\012break\"")]
    [InlineData("ü1", "\"\\303\\2741\"")]
    [InlineData("\0", "\"\\000\"")]
    public void Literal_escapes_every_byte_C_would_misread(string text, string literal) => Assert.Equal(literal, CText.Literal(text));

    [Fact]
    public void Comment_cannot_be_closed_or_nested_by_its_text() =>
        Assert.Equal("/* a * / b / * c d */", CText.Comment("a */ b /* c\nd"));
}
