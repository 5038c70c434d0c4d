# Derive Winograd F(6,3) (Toom-Cook, points 0, ±1, ±2, ±1/2, ∞) and check in float64.
from fractions import Fraction as F
import numpy as np
pts=[F(0),F(1),F(-1),F(2),F(-2),F(1,2),F(-1,2)]
m,r=6,3; a=m+r-1  # 8
# y = A^T [ (G g) ⊙ (B^T d) ] for correlation y_i = sum_k d_{i+k} g_k
# polynomial form: Lagrange interpolation over finite pts + infinity.
def polymul(p,q):
    o=[F(0)]*(len(p)+len(q)-1)
    for i,x in enumerate(p):
        for j,y in enumerate(q): o[i+j]+=x*y
    return o
Mx=[F(1)]
for p in pts: Mx=polymul(Mx,[-p,F(1)])   # coefficients low->high, degree 7
AT=[[ (p**i) for p in pts]+[F(1) if i==m-1 else F(0)] for i in range(m)]
N=[]
for j,p in enumerate(pts):
    n=F(1)
    for l,q in enumerate(pts):
        if l!=j: n*=(p-q)
    N.append(n)
G=[[ (p**k)/N[j] for k in range(r)] for j,p in enumerate(pts)]+[[F(0)]*(r-1)+[F(1)]]
# B^T row j: coefficients of M(x)/(x-p_j) (deg 6) for finite j; row inf: coefficients of M(x) (deg 7)
def divide(Mc,p):
    # synthetic division of Mc (low->high) by (x-p)
    hi=Mc[::-1]; q=[]; acc=F(0)
    for c in hi[:-1]:
        acc=acc*p+c; q.append(acc)
    return q[::-1]
BT=[]
for p in pts:
    q=divide(Mx,p); BT.append(q+[F(0)])
BT.append(Mx[:])
# correlation (not convolution): transpose trick -> for correlation the standard form is
# Y = A^T[(G g) ⊙ (B^T d)]; verify numerically and flip if needed
ATf=np.array(AT,float); Gf=np.array(G,float); BTf=np.array(BT,float)
rng=np.random.default_rng(0)
d=rng.standard_normal(a); g=rng.standard_normal(r)
y=ATf@((Gf@g)*(BTf@d)); ref=np.array([sum(d[i+k]*g[k] for k in range(r)) for i in range(m)])
print("1d err",np.abs(y-ref).max())
D=rng.standard_normal((a,a)); Gk=rng.standard_normal((r,r))
Y=ATf@((Gf@Gk@Gf.T)*(BTf@D@BTf.T))@ATf.T
R=np.array([[ (D[i:i+3,j:j+3]*Gk).sum() for j in range(m)] for i in range(m)])
print("2d err",np.abs(Y-R).max())
fmt=lambda M:"\n".join(" ".join(str(x) for x in row) for row in M)
print("AT\n"+fmt(AT)); print("G\n"+fmt(G)); print("BT\n"+fmt(BT))
