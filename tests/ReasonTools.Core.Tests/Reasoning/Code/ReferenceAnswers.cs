namespace ReasonTools.Core.Tests.Reasoning.Code;

/// <summary>Answers to the prompts of prompts/code-run.json as a model would write them: a right one and a buggy one each.</summary>
internal static class ReferenceAnswers
{
    public static string Fenced(string language, string code) => $"Here is the solution.\n\n```{language}\n{code.Trim()}\n```\n\nIt handles the edge cases.";

    public const string SnakeGame = """
<!DOCTYPE html>
<html><head><title>Snake</title><style>body{background:#222}</style></head>
<body><canvas id="c" width="200" height="200"></canvas>
<script>
const ctx = document.getElementById('c').getContext('2d');
let snake = [{x: 5, y: 5}], dir = {x: 0, y: 0}, food = {x: 12, y: 8};
document.addEventListener('keydown', e => {
  const d = {ArrowRight: {x: 1, y: 0}, ArrowLeft: {x: -1, y: 0}, ArrowUp: {x: 0, y: -1}, ArrowDown: {x: 0, y: 1}}[e.key];
  if (d) dir = d;
});
function draw() {
  ctx.fillStyle = '#000'; ctx.fillRect(0, 0, 200, 200);
  ctx.fillStyle = '#f00'; ctx.fillRect(food.x * 10, food.y * 10, 10, 10);
  ctx.fillStyle = '#0f0'; for (const s of snake) ctx.fillRect(s.x * 10, s.y * 10, 10, 10);
}
setInterval(() => {
  const head = {x: snake[0].x + dir.x, y: snake[0].y + dir.y};
  if (dir.x || dir.y) {
    if (head.x < 0 || head.y < 0 || head.x >= 20 || head.y >= 20) { dir = {x: 0, y: 0}; return; }
    snake.unshift(head);
    if (head.x === food.x && head.y === food.y) food = {x: 3, y: 15}; else snake.pop();
  }
  draw();
}, 100);
draw();
</script></body></html>
""";

    /// <summary>What the seeds' 7B wrote: a picture of a snake that never moves.</summary>
    public const string StaticSnake = """
<!DOCTYPE html>
<html><head><title>Snake</title></head>
<body><canvas id="c" width="200" height="200"></canvas>
<script>
const ctx = document.getElementById('c').getContext('2d');
ctx.fillStyle = '#000'; ctx.fillRect(0, 0, 200, 200);
ctx.fillStyle = '#0f0'; ctx.fillRect(50, 50, 30, 10);
document.addEventListener('keydown', e => console.log('key', e.key));
</script></body></html>
""";

    public static readonly Dictionary<string, (string Right, string Buggy)> ByPrompt = new()
    {
        ["safe-binary-search"] = (Fenced("python", """
def binary_search(items, target):
    lo, hi = 0, len(items) - 1
    while lo <= hi:
        mid = (lo + hi) // 2
        if items[mid] == target:
            return mid
        if items[mid] < target:
            lo = mid + 1
        else:
            hi = mid - 1
    return -1
"""), Fenced("python", """
def binary_search(items, target):
    lo, hi = 0, len(items)
    while lo < hi:
        mid = (lo + hi) // 2
        if items[mid] < target:
            lo = mid + 1
        else:
            hi = mid
    return lo if items[lo] == target else -1
""")),
        ["earlier-smaller-count"] = (Fenced("python", """
import sys
from bisect import bisect_left

def main():
    data = sys.stdin.buffer.read().split()
    n = int(data[0])
    a = list(map(int, data[1:1 + n]))
    ranks = {v: i + 1 for i, v in enumerate(sorted(set(a)))}
    tree = [0] * (len(ranks) + 1)
    out = []
    for v in a:
        r = ranks[v] - 1
        s = 0
        while r > 0:
            s += tree[r]
            r -= r & -r
        out.append(s)
        r = ranks[v]
        while r < len(tree):
            tree[r] += 1
            r += r & -r
    print(' '.join(map(str, out)))

main()
"""), Fenced("python", """
n = int(input())
a = list(map(int, input().split()))
print(' '.join(str(sum(1 for j in range(i) if a[j] <= a[i])) for i in range(n)))
""")),
        ["roman-numerals"] = (Fenced("python", """
def to_roman(n):
    parts = [(1000, 'M'), (900, 'CM'), (500, 'D'), (400, 'CD'), (100, 'C'), (90, 'XC'),
             (50, 'L'), (40, 'XL'), (10, 'X'), (9, 'IX'), (5, 'V'), (4, 'IV'), (1, 'I')]
    out = ''
    for value, letters in parts:
        while n >= value:
            out += letters
            n -= value
    return out
"""), Fenced("python", """
def to_roman(n):
    parts = [(1000, 'M'), (500, 'D'), (100, 'C'), (50, 'L'), (10, 'X'), (5, 'V'), (1, 'I')]
    out = ''
    for value, letters in parts:
        while n >= value:
            out += letters
            n -= value
    return out
""")),
        ["fizzbuzz-js"] = (Fenced("javascript", """
function fizzbuzz(n) {
  const out = [];
  for (let i = 1; i <= n; i++) out.push(i % 15 === 0 ? 'FizzBuzz' : i % 3 === 0 ? 'Fizz' : i % 5 === 0 ? 'Buzz' : String(i));
  return out;
}
"""), Fenced("js", """
function fizzbuzz(n) {
  const out = [];
  for (let i = 1; i <= n; i++) out.push(i % 3 === 0 ? 'Fizz' : i % 5 === 0 ? 'Buzz' : i % 15 === 0 ? 'FizzBuzz' : String(i));
  return out;
}
""")),
        ["word-count-js"] = (Fenced("javascript", """
const text = require('fs').readFileSync(0, 'utf8');
console.log(text.split(/\s+/).filter(w => w.length > 0).length);
"""), Fenced("javascript", """
const text = require('fs').readFileSync(0, 'utf8');
console.log(text.split(' ').length);
""")),
        ["snake-game"] = (Fenced("html", SnakeGame), Fenced("html", StaticSnake)),
        ["space-counter"] = (Fenced("html", """
<!DOCTYPE html><html><head><title>Counter</title></head><body><p id="count">0</p>
<script>let n = 0; document.addEventListener('keydown', e => { if (e.key === ' ') document.getElementById('count').textContent = ++n; });</script>
</body></html>
"""), Fenced("html", """
<!DOCTYPE html><html><head><title>Counter</title></head><body><p id="count">0</p>
<script>let n = 0; document.addEventListener('keydown', e => { if (e.key === 'Enter') document.getElementById('count').textContent = ++n; });</script>
</body></html>
""")),
    };
}
